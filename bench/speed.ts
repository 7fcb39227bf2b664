/**
 * `bun run bench:speed`: one task per Speed level (Quality, Balanced, Fast) at
 * the same seed and steps, through the app (POST /api/tasks → task finished,
 * picture saved with its metadata), interleaved over rounds; prints the
 * median seconds, the effective it/s (steps ÷ seconds), the ratio to Quality
 * (and the best of the rounds, less hit by other work), and what the engine said it reused. On Linux it also prints the engine
 * process's CPU seconds per task (/proc/<pid>/stat utime+stime): on a busy
 * shared machine the wall time swings with the other work, the CPU time
 * the engine spent does much less. Asserts nothing.
 *
 * Engine: the real one where installed — BENCH_SD_SERVER (an sd-server
 * program) and BENCH_MODEL (an SD 1.x/2.x/XL checkpoint), or the first
 * installed build and checkpoint in the data folder (ED_HOME or the default);
 * otherwise the stand-in (it says so: its figures only show the app's
 * plumbing, its step times are made up).
 * Knobs: BENCH_ROUNDS (3), BENCH_STEPS (20), BENCH_SIZE (64 on a real CPU engine, 512 on the stand-in).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SPEEDS, type Speed } from "../common/speed";
import type { InstalledBuild } from "../engine/types";
import { TELLTALES, writeSafetensors } from "../tests/models/fixtures";
import { standinBuild } from "../tests/standin/pack";
import { cpuSeconds, realEngine, useRealEngine } from "./real-engine";
import { startOneBuildApp } from "./one-build";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STEPS = Number(process.env.BENCH_STEPS ?? 20);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const real = realEngine();
  const root = mkdtempSync(join(tmpdir(), "ed-bench-speed-"));
  const models = join(root, "models", "stable-diffusion");
  mkdirSync(models, { recursive: true });
  let build: InstalledBuild;
  let modelName: string;
  if (real) {
    ({ modelName, build } = useRealEngine(real, models));
    console.log(`engine: the real sd-server at ${real.server}, model ${modelName}`);
  } else {
    modelName = "bench.safetensors";
    writeSafetensors(join(models, modelName), TELLTALES.sd1!);
    const dir = join(root, "engines", "bench", "cpu");
    build = { tag: "bench", variant: "cpu", backend: "cpu", dir, serverPath: standinBuild(dir, { stepMs: 60, startDelayMs: 100 }) };
    console.log("engine: the STAND-IN (no real engine installed; set BENCH_SD_SERVER and BENCH_MODEL): its step times are made up, only the plumbing is real");
  }
  const size = Number(process.env.BENCH_SIZE ?? (real ? 64 : 512));
  const { app, manager } = await startOneBuildApp(root, build);
  const api = async (path: string, init?: RequestInit) => (await fetch(new URL(path, app.url), init)).json() as Promise<Record<string, any>>;
  /** CPU seconds the engine process has used (Linux); null elsewhere. */
  const engineCpu = (): number | null => {
    const pid = manager.supervisor.running?.pid;
    return real && pid ? cpuSeconds(pid) : null;
  };
  const run = async (speed: Speed) => {
    const start = performance.now();
    const cpu0 = engineCpu();
    const { id } = await api("/api/tasks", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: "a red apple on a table", model: modelName, seed: 42, steps: STEPS, width: size, height: size, speed }),
    });
    for (;;) {
      const t = await api(`/api/tasks/${id}`);
      if (t.state === "succeeded") {
        const cpu1 = engineCpu();
        return {
          seconds: (performance.now() - start) / 1000,
          cpu: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
          reused: t.notes?.speed?.reused ?? t.notes?.speed?.note ?? "",
        };
      }
      if (t.state === "failed" || t.state === "cancelled") throw new Error(`task ${speed} ${t.state}: ${t.error?.message ?? ""}`);
      await Bun.sleep(20);
    }
  };
  try {
    await run("quality"); // loads the model: not counted
    const times: Record<Speed, number[]> = { quality: [], balanced: [], fast: [] };
    const cpus: Record<Speed, number[]> = { quality: [], balanced: [], fast: [] };
    const reused: Record<Speed, string> = { quality: "", balanced: "", fast: "" };
    for (let round = 0; round < ROUNDS; round++) {
      for (const speed of SPEEDS) {
        const r = await run(speed);
        times[speed].push(r.seconds);
        if (r.cpu !== null) cpus[speed].push(r.cpu);
        reused[speed] = r.reused;
      }
    }
    console.log(`${STEPS} steps, ${size}×${size}, seed 42, median of ${ROUNDS} interleaved rounds (seconds from POST to the saved picture)`);
    console.log("speed     seconds   it/s   × vs quality  best s  × vs quality  engine CPU s  × vs quality  engine said");
    const q = median(times.quality);
    const qBest = Math.min(...times.quality);
    const qc = cpus.quality.length ? median(cpus.quality) : null;
    for (const speed of SPEEDS) {
      const s = median(times[speed]);
      const c = cpus[speed].length ? median(cpus[speed]) : null;
      const cpuCols = c && qc ? `${c.toFixed(2).padStart(9)}     ${(qc / c).toFixed(2).padStart(6)}` : "        —          —";
      const best = Math.min(...times[speed]);
      const timeCols =
        `${s.toFixed(2).padStart(7)} ${(STEPS / s).toFixed(2).padStart(6)}   ${(q / s).toFixed(2).padStart(6)}     ` +
        `${best.toFixed(2).padStart(6)}   ${(qBest / best).toFixed(2).padStart(6)}`;
      const all = times[speed].map((x) => x.toFixed(1)).join(", ");
      console.log(`${speed.padEnd(9)} ${timeCols}     ${cpuCols}        ${reused[speed] || "—"}   (all: ${all})`);
    }
  } finally {
    await app.stop("bench");
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
