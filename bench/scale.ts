/**
 * `bun run bench:scale`: pictures per minute as engines are added. 40 tasks (`BENCH_TASKS`) through the real
 * app (POST /api/tasks → picture saved with metadata → task.finished) on 1, 2 and 4 zero-delay stand-in
 * engines (the engine pool over a stand-in that lists that many GPUs, one sd-server per GPU:
 * tests/gpus/harness.ts), engines started and holding the model before the clock starts. With zero-delay
 * engines the app's own work is all there is, so the ratio to one engine says how little the queue adds:
 * target ≥ 0.9 × N. Also the p99 dispatch delay: from an engine ending a task (the pool's `engine.pool`
 * event) to its next task starting on it; the app process's CPU per picture. Median of `BENCH_ROUNDS` (3) interleaved
 * rounds. Prints figures; asserts nothing.
 *
 * Workers (other computers): the 1- and 2-worker rows (bench/scale-workers.ts), the same 40 tasks sent to
 * other Easy Diffusions over HTTP; their ratio is to the one-engine row too.
 */
import { tempData, waitState } from "../tests/queue/harness";
import { startGpuApp, type GpuApp } from "../tests/gpus/harness";

const TASKS = Number(process.env.BENCH_TASKS ?? 40);
/** Rounds of 1, 2, 4 engines, interleaved; each row is the median round (a shared machine's load comes and goes). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** `BENCH_STEP_MS`: the stand-in engines wait that long per step (a sleep, no CPU), as a GPU engine would; 0 by default. */
export const STEP_MS = Number(process.env.BENCH_STEP_MS ?? 0);
export const ENGINE = { startDelayMs: 0, stepMs: STEP_MS, loadMs: 0, decodeMs: 0 };

export interface ScaleRow {
  /** "1 engine", "2 engines", "1 worker", … */
  label: string;
  /** How many executors ran tasks (the target is ≥ 0.9 × this × the one-engine rate). */
  executors: number;
  perMinute: number;
  /** Dispatch delays, ms. */
  delays: number[];
  /** CPU time of the app's own process per picture, ms (the engines are other processes): flat as N grows = the app scales. */
  appCpuMs?: number;
}

const p = (values: number[], q: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : NaN;
};

async function submit(q: GpuApp): Promise<string> {
  const res = await q.api("/api/tasks", { method: "POST", json: { prompt: "scale", model: "sd-test.safetensors", steps: 4, width: 64, height: 64 } });
  return ((await res.json()) as { id: string }).id;
}

/** Dispatch delays from the pool's events: an engine's task going to none, then to the next one. */
function dispatchDelays(q: GpuApp, from: number, resumedAt: number): number[] {
  const idleSince = new Map<string, number>();
  const delays: number[] = [];
  for (const e of q.events.slice(from)) {
    if (e.type !== "engine.pool") continue;
    for (const m of (e.data as { engines: { id: string; task: string | null }[] }).engines) {
      const since = idleSince.get(m.id) ?? resumedAt;
      if (m.task && since >= 0) (delays.push(e.time - since), idleSince.set(m.id, -1));
      else if (!m.task && since < 0) idleSince.set(m.id, e.time);
    }
  }
  return delays;
}

export async function engineRow(engines: number): Promise<ScaleRow> {
  const data = tempData("ed-bench-scale-");
  const q = await startGpuApp(data.dir, engines, 24, ENGINE);
  try {
    // Every engine started and holding the model before the clock starts.
    const warm = await Promise.all(Array.from({ length: engines }, () => submit(q)));
    for (const id of warm) await waitState(q, id, ["succeeded"], 120_000);
    await q.api("/api/queue", { method: "PATCH", json: { paused: true } });
    const ids: string[] = [];
    for (let i = 0; i < TASKS; i++) ids.push(await submit(q));
    const from = q.events.length;
    const resumedAt = Date.now();
    const cpu = process.cpuUsage();
    await q.api("/api/queue", { method: "PATCH", json: { paused: false } });
    // Read from the app's own bus (in this process), not by polling its API: the waiting costs no CPU the engines could use.
    const ended = new Set(ids);
    const done = () => q.events.slice(from).filter((e) => (e.type === "task.finished" || e.type === "task.failed") && ended.has((e.data as { id: string }).id));
    while (done().length < TASKS) await Bun.sleep(5);
    const seconds = (done().at(-1)!.time - resumedAt) / 1000;
    const used = process.cpuUsage(cpu);
    const label = `${engines} engine${engines > 1 ? "s" : ""}`;
    const appCpuMs = (used.user + used.system) / 1000 / TASKS;
    return { label, executors: engines, perMinute: (TASKS / seconds) * 60, delays: dispatchDelays(q, from, resumedAt), appCpuMs };
  } finally {
    await q.stop();
    data.remove();
  }
}

/** The 1- and 2-worker rows (bench/scale-workers.ts); none where network namespaces cannot be made. */
export async function workerRows(): Promise<ScaleRow[]> {
  const { workerRow } = await import("./scale-workers");
  const rows: ScaleRow[] = [];
  for (const n of [1, 2]) {
    const row = await workerRow(n, TASKS);
    if (row) rows.push(row);
    else console.log(`(no ${n}-worker row: network namespaces need root and iproute2)`);
  }
  return rows;
}

if (import.meta.main) {
  const rounds: ScaleRow[][] = [[], [], []];
  for (let r = 0; r < ROUNDS; r++) for (const [i, n] of [1, 2, 4].entries()) rounds[i]!.push(await engineRow(n));
  const median = (runs: ScaleRow[]) => [...runs].sort((a, b) => a.perMinute - b.perMinute)[Math.floor(runs.length / 2)]!;
  const rows: ScaleRow[] = rounds.map(median);
  rows.push(...(await workerRows()));
  const base = rows[0]!.perMinute;
  const cores = navigator.hardwareConcurrency;
  const engines = STEP_MS ? `stand-in engines waiting ${STEP_MS} ms per step (4 steps; a sleep, as a GPU engine waits)` : "zero-delay stand-in engines";
  console.log(`bench:scale — ${TASKS} tasks, ${engines}, through POST /api/tasks → picture saved; ${cores} CPU cores;`);
  const each = rounds.map((rs) => rs.map((r) => r.perMinute.toFixed(0)).join("/")).join(", ");
  console.log(`median of ${ROUNDS} interleaved rounds (pictures/min of every round: ${each})`);
  console.log("(each stand-in engine is a process that uses a core while it makes a picture: with fewer cores than engines + 1 the ratio");
  console.log(" measures the CPU, not the app; the app's own CPU per picture shows what it adds)\n");
  console.log("executors      pictures/min   × one engine   target (≥ 0.9 × N)   dispatch p50 / p99 ms   app CPU ms/picture");
  for (const r of rows) {
    const ratio = r.perMinute / base;
    const target = r.executors === 1 ? "—" : `${(0.9 * r.executors).toFixed(1)} ${ratio >= 0.9 * r.executors ? "OK" : "MISSED"}`;
    console.log(
      `${r.label.padEnd(14)} ${r.perMinute.toFixed(0).padStart(12)}   ${ratio.toFixed(2).padStart(12)}   ${target.padStart(18)}   ` +
        `${`${p(r.delays, 0.5).toFixed(0)} / ${p(r.delays, 0.99).toFixed(0)}`.padStart(21)}   ${r.appCpuMs?.toFixed(1).padStart(18) ?? "—"}`,
    );
  }
}
