/**
 * `bun run bench:compat`: what the A1111 compatibility layer adds over our
 * own API for the same picture on the stand-in sd-server (zero-delay engine,
 * so the difference is the layer itself). Interleaved rounds of:
 *   - POST /api/tasks → wait for task.finished → GET the image bytes
 *     (what an API client of ours does to get the picture), and
 *   - POST /sdapi/v1/txt2img (answers with the base64 picture when done),
 *   - POST /v1/images/generations (the same, OpenAI's way).
 * Prints medians and the overhead (target ≤ 2 ms); asserts nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withCompat } from "../compat/service";
import { EngineManager } from "../engine/manager";
import { readEnv } from "../core/env";
import { silentLogger } from "../core/log";
import { startApp } from "../launcher/start";
import { queueService } from "../queue/service";
import { standinBuild } from "../tests/standin/pack";
import { oneBuildEngine } from "./one-build";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);

const root = mkdtempSync(join(tmpdir(), "ed-bench-compat-"));
mkdirSync(join(root, "models", "stable-diffusion"), { recursive: true });
writeFileSync(join(root, "models", "stable-diffusion", "bench.safetensors"), "stand-in model");
const dir = join(root, "engines", "bench", "cpu");
const build = {
  tag: "bench",
  variant: "cpu",
  backend: "cpu" as const,
  dir,
  serverPath: standinBuild(dir, { startDelayMs: 0, stepMs: 0, loadMs: 0, decodeMs: 0 }),
};
let manager!: EngineManager;
const app = await startApp({
  run: { server: true, noOpen: true, dataDir: root, port: 20000 + Math.floor(Math.random() * 30000), host: "127.0.0.1" },
  env: { ...readEnv({}), edHome: undefined },
  services: withCompat(queueService({ engine: (ctx) => (manager = oneBuildEngine(build, ctx)) })),
  log: silentLogger,
});

const ends = new Map<string, boolean>();
const waiters = new Map<string, (ok: boolean) => void>();
app.ctx.bus.subscribe((e) => {
  if (e.type !== "task.finished" && e.type !== "task.failed") return;
  const id = (e.data as { id: string }).id;
  const waiter = waiters.get(id);
  if (waiter) {
    waiters.delete(id);
    waiter(e.type === "task.finished");
  } else ends.set(id, e.type === "task.finished");
});

const json = { "content-type": "application/json" };
const ours = {
  prompt: "a lighthouse on a cliff at sunset",
  negative_prompt: "blurry",
  model: "bench.safetensors",
  steps: 1,
  width: 512,
  height: 512,
  sampler: "euler_a",
};
const a1111 = {
  prompt: ours.prompt,
  negative_prompt: ours.negative_prompt,
  steps: 1,
  width: 512,
  height: 512,
  sampler_name: "Euler a",
  override_settings: { sd_model_checkpoint: "bench.safetensors" },
};

async function viaTasks(seed: number): Promise<number> {
  const start = performance.now();
  const res = await fetch(new URL("/api/tasks", app.url), { method: "POST", headers: json, body: JSON.stringify({ ...ours, seed }) });
  const { id } = (await res.json()) as { id: string };
  const ok = await new Promise<boolean>((resolve) => {
    const known = ends.get(id);
    if (known !== undefined) return resolve(known);
    waiters.set(id, resolve);
  });
  if (!ok) throw new Error(`task ${id} failed`);
  const task = (await (await fetch(new URL(`/api/tasks/${id}`, app.url))).json()) as { images: { url: string }[] };
  await (await fetch(new URL(task.images[0]!.url, app.url))).arrayBuffer();
  return performance.now() - start;
}

async function viaA1111(seed: number): Promise<number> {
  const start = performance.now();
  const res = await fetch(new URL("/sdapi/v1/txt2img", app.url), { method: "POST", headers: json, body: JSON.stringify({ ...a1111, seed }) });
  const body = (await res.json()) as { images: string[] };
  if (res.status !== 200 || body.images.length !== 1) throw new Error(`txt2img answered ${res.status}`);
  return performance.now() - start;
}

async function viaOpenAI(seed: number): Promise<number> {
  const start = performance.now();
  const res = await fetch(new URL("/v1/images/generations", app.url), {
    method: "POST",
    headers: json,
    body: JSON.stringify({
      prompt: ours.prompt,
      negative_prompt: ours.negative_prompt,
      model: "bench.safetensors",
      size: "512x512",
      steps: 1,
      sampler: "euler_a",
      seed,
    }),
  });
  const body = (await res.json()) as { data: { b64_json: string }[] };
  if (res.status !== 200 || body.data.length !== 1) throw new Error(`generations answered ${res.status}`);
  return performance.now() - start;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (n: number) => `${n.toFixed(2)} ms`;

try {
  console.log(`bench:compat — /sdapi/v1/txt2img vs POST /api/tasks, same 512×512 picture, zero-delay stand-in, ${ROUNDS} interleaved rounds`);
  await viaTasks(0); // loads the model set
  await viaA1111(0);
  await viaOpenAI(0);
  const tasks: number[] = [];
  const compat: number[] = [];
  const openai: number[] = [];
  for (let i = 1; i <= ROUNDS; i++) {
    tasks.push(await viaTasks(i));
    compat.push(await viaA1111(i));
    openai.push(await viaOpenAI(i));
  }
  const overhead = median(compat) - median(tasks);
  console.log(`   POST /api/tasks + wait + GET image : median ${ms(median(tasks))}`);
  console.log(`   POST /sdapi/v1/txt2img             : median ${ms(median(compat))}`);
  console.log(`   compatibility layer overhead       : ${ms(overhead)} (target ≤ 2 ms); ratio ${(median(compat) / median(tasks)).toFixed(3)}`);
  console.log(`   POST /v1/images/generations        : median ${ms(median(openai))}, overhead ${ms(median(openai) - median(tasks))}`);
} finally {
  await app.stop();
  await manager.stop();
  rmSync(root, { recursive: true, force: true });
}
