/**
 * bench:scale's worker rows (issue 20, "Other computers as workers"): 40 tasks on a coordinator whose
 * queue runs only on 1 or 2 workers — each another Easy Diffusion (a real process, tests/workers/
 * worker-child.ts) on a zero-delay stand-in engine, in a network namespace of its own, used as a guest
 * with its token over HTTP (POST /api/tasks, its event stream, the picture fetched and saved here with
 * metadata). Measured as engineRow measures: every worker warm and holding the model before the clock,
 * the queue paused while the 40 are submitted, then the time from resuming to the last task.finished.
 * Dispatch delay: from a worker ending a task (`workers.changed` without its task) to its next one.
 * Needs root and iproute2 (as the workers tests); without them, no rows.
 */
import { readEnv } from "../core/env";
import type { BusEvent } from "../core/events/bus";
import { silentLogger } from "../core/log";
import { startApp } from "../launcher/start";
import { tempData } from "../tests/queue/harness";
import { OtherComputer, writeModel } from "../tests/workers/computers";
import { coordinatorServices } from "../tests/workers/coordinator";
import { ENGINE, type ScaleRow } from "./scale";

const MODEL = { kind: "stable-diffusion", name: "sd-test.safetensors", bytes: "bench" };

/** Delays from each worker going idle to its next task, from the coordinator's `workers.changed` events. */
function dispatchDelays(events: BusEvent[], resumedAt: number): number[] {
  const idleSince = new Map<string, number>();
  const delays: number[] = [];
  for (const e of events) {
    if (e.type !== "workers.changed") continue;
    for (const w of (e.data as { workers: { id: string; task?: string }[] }).workers) {
      const since = idleSince.get(w.id) ?? resumedAt;
      if (w.task && since >= 0) (delays.push(e.time - since), idleSince.set(w.id, -1));
      else if (!w.task && since < 0) idleSince.set(w.id, e.time);
    }
  }
  return delays;
}

export async function workerRow(n: number, tasks: number): Promise<ScaleRow | null> {
  const others = Array.from({ length: n }, () => new OtherComputer());
  const data = tempData("ed-bench-workers-");
  if (!others.every((o) => o.make())) {
    for (const o of others) o.remove();
    data.remove();
    return null;
  }
  writeModel(data.dir, MODEL);
  const parts = coordinatorServices(data.dir, { engine: ENGINE });
  const app = await startApp({
    run: { server: true, noOpen: true, dataDir: data.dir, port: 20000 + Math.floor(Math.random() * 30000), host: "127.0.0.1" },
    env: { ...readEnv({}), edHome: undefined },
    services: parts.services,
    log: silentLogger,
  });
  const events: BusEvent[] = [];
  app.ctx.bus.subscribe((e) => events.push(e));
  const api = (path: string, json?: unknown, method = "POST") =>
    fetch(new URL(path, app.url), { method, headers: { "content-type": "application/json" }, body: JSON.stringify(json) }).then((r) => r.json());
  const submit = async () => ((await api("/api/tasks", { prompt: "scale", model: MODEL.name, steps: 4, width: 64, height: 64 })) as { id: string }).id;
  try {
    await Promise.all(others.map((o) => o.start([MODEL], ENGINE)));
    // Only the workers run tasks: this computer's engine is taken off the queue.
    for (const e of parts.queue()!.executors.list()) if (e.kind === "engine") parts.queue()!.executors.remove(e.id);
    for (const o of others) await api("/api/workers", { link: o.link });
    const ended = (ids: Set<string>, from = 0) =>
      events.slice(from).filter((e) => (e.type === "task.finished" || e.type === "task.failed") && ids.has((e.data as { id: string }).id));
    // Warm: each worker runs one task (its engine starts and loads the model) before the clock starts.
    const warm = new Set(await Promise.all(others.map(() => submit())));
    while (ended(warm).length < warm.size) await Bun.sleep(5);
    await api("/api/queue", { paused: true }, "PATCH");
    const ids = new Set<string>();
    for (let i = 0; i < tasks; i++) ids.add(await submit());
    const from = events.length;
    const resumedAt = Date.now();
    const cpu = process.cpuUsage();
    await api("/api/queue", { paused: false }, "PATCH");
    while (ended(ids, from).length < tasks) await Bun.sleep(5);
    const failed = ended(ids, from).filter((e) => e.type === "task.failed").length;
    if (failed) throw new Error(`${failed} of ${tasks} tasks failed on the workers`);
    const seconds = (ended(ids, from).at(-1)!.time - resumedAt) / 1000;
    const used = process.cpuUsage(cpu);
    // The coordinator's own CPU per picture (the workers are other processes): sending, following, fetching, saving.
    const appCpuMs = (used.user + used.system) / 1000 / tasks;
    const label = `${n} worker${n > 1 ? "s" : ""}`;
    return { label, executors: n, perMinute: (tasks / seconds) * 60, delays: dispatchDelays(events.slice(from), resumedAt), appCpuMs };
  } finally {
    await app.stop("bench");
    await parts.handles.engine?.stop();
    for (const o of others) o.remove();
    data.remove();
  }
}
