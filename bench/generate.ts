/**
 * `bun run bench:generate`: what the queue adds on top of the engine.
 * Prints figures and ratios; asserts nothing.
 *
 * 1. Per-image overhead: the same request through our API (POST /api/tasks →
 *    task.finished, image written with metadata, DB row) vs straight to the
 *    engine (POST /sdcpp/v1/img_gen, poll every 1 ms, decode) on the same
 *    stand-in process with realistic step times, interleaved in one run.
 *    Target: ≤ 3% of the engine time; the absolute ms are printed too.
 * 2. 500 tasks on a zero-delay stand-in, one after another, same comparison:
 *    median overhead per task. Target: ≤ 5 ms.
 * 3. Where a real engine is installed (BENCH_SD_SERVER + BENCH_MODEL, or a
 *    build and checkpoint in the data folder: real-engine.ts): the app as the
 *    executable composes it (engine, queue, Gallery) vs a bare sd-server
 *    started with the same flags, the same img_gen body (the one the app
 *    sent), interleaved app, bare, app, bare…; 64×64, 6 steps by default
 *    (BENCH_REAL_ROUNDS 6, BENCH_REAL_STEPS, BENCH_REAL_SIZE). Prints the
 *    median ms per picture of each, the ratio, the difference, the app
 *    process's CPU ms per picture, and the median time of each phase of an
 *    app picture (engine done line → job read and decoded → saved → finished).
 *    Target: ≤ 3%.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EngineManager } from "../engine/manager";
import type { RunningApp } from "../launcher/start";
import type { StandinConfig } from "../tests/standin/config";
import { standinBuild } from "../tests/standin/pack";
import { directTo, realEngineOverhead } from "./generate-real";
import { startOneBuildApp } from "./one-build";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const TASKS = Number(process.env.BENCH_TASKS ?? 500);

interface Rig {
  app: RunningApp;
  manager: EngineManager;
  root: string;
  /** Task id → succeeded?, for tasks that ended before anyone waited. */
  ends: Map<string, boolean>;
  waiters: Map<string, (ok: boolean) => void>;
}

async function rig(config: Partial<StandinConfig>): Promise<Rig> {
  const root = mkdtempSync(join(tmpdir(), "ed-bench-gen-"));
  mkdirSync(join(root, "models", "stable-diffusion"), { recursive: true });
  writeFileSync(join(root, "models", "stable-diffusion", "bench.safetensors"), "stand-in model");
  const dir = join(root, "engines", "bench", "cpu");
  const build = { tag: "bench", variant: "cpu", backend: "cpu" as const, dir, serverPath: standinBuild(dir, config) };
  const { app, manager } = await startOneBuildApp(root, build);
  const ends = new Map<string, boolean>();
  const waiters = new Map<string, (ok: boolean) => void>();
  app.ctx.bus.subscribe((e) => {
    if (e.type !== "task.finished" && e.type !== "task.failed") return;
    const id = (e.data as { id: string }).id;
    const ok = e.type === "task.finished";
    const waiter = waiters.get(id);
    if (waiter) {
      waiters.delete(id);
      waiter(ok);
    } else ends.set(id, ok);
  });
  return { app, manager, root, ends, waiters };
}

const request = {
  prompt: "a lighthouse on a cliff at sunset, dramatic clouds",
  negative_prompt: "blurry",
  model: "bench.safetensors",
  seed: 42,
  width: 512,
  height: 512,
};

/** Through our API: POST → the task's finished event (image on disk, row written). */
async function viaApi(r: Rig, body: object): Promise<number> {
  const start = performance.now();
  const res = await fetch(new URL("/api/tasks", r.app.url), { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  const { id } = (await res.json()) as { id: string };
  // The task may already be done when the answer arrives (zero-delay engine): ends are recorded by id.
  const ok = await new Promise<boolean>((resolve) => {
    const known = r.ends.get(id);
    if (known !== undefined) return resolve(known);
    r.waiters.set(id, resolve);
  });
  if (!ok) throw new Error(`task ${id} failed`);
  return performance.now() - start;
}

/** Straight to sd-server: POST img_gen, poll every 1 ms, decode the image. */
async function direct(r: Rig, body: object): Promise<number> {
  return directTo(r.manager.supervisor.running!.port, body);
}

const engineBody = (steps: number) => ({
  prompt: request.prompt,
  negative_prompt: request.negative_prompt,
  width: 512,
  height: 512,
  seed: 42,
  batch_count: 1,
  sample_params: { sample_steps: steps },
});
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function perImage() {
  const steps = 20;
  const r = await rig({ startDelayMs: 100, stepMs: 50, loadMs: 5, decodeMs: 50 });
  try {
    await viaApi(r, { ...request, steps }); // loads the model set
    const api: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      raw.push(await direct(r, engineBody(steps)));
      api.push(await viaApi(r, { ...request, steps }));
    }
    const overhead = median(api) - median(raw);
    console.log(`\n1. per image (${ROUNDS} rounds, ${steps} steps × 50 ms on the stand-in, interleaved)`);
    console.log(`   engine direct : median ${ms(median(raw))}`);
    console.log(`   through API   : median ${ms(median(api))}`);
    console.log(`   overhead      : ${ms(overhead)} = ${((overhead / median(raw)) * 100).toFixed(2)}% of engine time (target ≤ 3%)`);
  } finally {
    await r.app.stop();
    await r.manager.stop();
    rmSync(r.root, { recursive: true, force: true });
  }
}

async function manyTasks() {
  const r = await rig({ startDelayMs: 0, stepMs: 0, loadMs: 0, decodeMs: 0 });
  try {
    await viaApi(r, { ...request, steps: 1 });
    const api: number[] = [];
    const raw: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < TASKS; i++) {
      raw.push(await direct(r, engineBody(1)));
      api.push(await viaApi(r, { ...request, steps: 1, seed: i }));
    }
    const wall = performance.now() - t0;
    console.log(`\n2. ${TASKS} tasks on a zero-delay stand-in (1 step, one after another, interleaved with direct jobs)`);
    console.log(`   engine direct : median ${ms(median(raw))}, p90 ${ms(raw.sort((a, b) => a - b)[Math.floor(raw.length * 0.9)]!)}`);
    console.log(`   through API   : median ${ms(median(api))}, p90 ${ms(api.sort((a, b) => a - b)[Math.floor(api.length * 0.9)]!)}`);
    console.log(`   overhead      : median ${ms(median(api) - median(raw))} per task (target ≤ 5 ms); ${(wall / 1000).toFixed(1)} s for both series`);
  } finally {
    await r.app.stop();
    await r.manager.stop();
    rmSync(r.root, { recursive: true, force: true });
  }
}

console.log("bench:generate — queue overhead over the engine (stand-in sd-server)");
if (import.meta.main) {
  await perImage();
  await manyTasks();
  await realEngineOverhead();
  process.exit(0);
}
