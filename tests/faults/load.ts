/**
 * R7: many watchers and a long queue. `clients` browsers listen to the event
 * stream while `tasks` tasks run on the stand-in; meanwhile GET /api/tasks and
 * GET /api/health are timed. Every client must see every task finish, and the
 * ids it receives after its first task event must have no gap (nothing lost).
 * The latency figures are reported (goal: p99 ≤ 50 ms), not asserted.
 */
import { standin, startQueueApp, tempData, until } from "../queue/harness";
import { ms, quantile, result, type SuiteResult } from "./suite";

interface Seen {
  ids: number[];
  finished: Set<string>;
  firstTask?: number;
}

/** Reads one SSE stream into `seen` until `signal` aborts. */
async function watch(url: string, seen: Seen, signal: AbortSignal): Promise<void> {
  const res = await fetch(new URL("/api/events", url), { signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = Number(/^id: (\d+)$/m.exec(block)?.[1] ?? NaN);
        const type = /^event: (.+)$/m.exec(block)?.[1];
        if (!Number.isFinite(id) || !type) continue;
        seen.ids.push(id);
        if (type.startsWith("task.") && seen.firstTask === undefined) seen.firstTask = id;
        if (type === "task.finished") seen.finished.add((JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { id: string }).id);
      }
    }
  } catch {
    // aborted at the end
  }
}

export async function loadSuite(clients: number, tasks: number): Promise<SuiteResult> {
  const data = tempData("ed-fault-r7-");
  const q = await startQueueApp(data.dir, standin(data.dir, { startDelayMs: 50, stepMs: 2, loadMs: 1, decodeMs: 2 }));
  const problems: string[] = [];
  const stop = new AbortController();
  const seen: Seen[] = Array.from({ length: clients }, () => ({ ids: [], finished: new Set<string>() }));
  const latency = { tasks: [] as number[], health: [] as number[] };
  try {
    const watchers = seen.map((s) => watch(q.url, s, stop.signal));
    await until("every client connected", () => q.app.ctx.bus.clientCount >= clients, 10_000).catch(() => problems.push("not every client connected"));
    const ids: string[] = [];
    for (let i = 0; i < tasks; i++) {
      const res = await q.api("/api/tasks", { method: "POST", json: { prompt: `load ${i}`, model: "sd-test.safetensors", width: 64, height: 64, steps: 1, seed: i } });
      ids.push(((await res.json()) as { id: string }).id);
    }
    const finishedOnBus = () => q.events.filter((e) => e.type === "task.finished").length;
    const timer = async (path: string, into: number[]) => {
      const t = performance.now();
      await (await q.api(path)).arrayBuffer();
      into.push(performance.now() - t);
    };
    while (finishedOnBus() < tasks) {
      await Promise.all([timer("/api/tasks", latency.tasks), timer("/api/health", latency.health)]);
      await Bun.sleep(10);
    }
    // Let the last events reach every client.
    await until("every client saw every task finish", () => seen.every((s) => ids.every((id) => s.finished.has(id))), 15_000).catch(() => {});
    stop.abort();
    await Promise.all(watchers);
    seen.forEach((s, c) => {
      const missing = ids.filter((id) => !s.finished.has(id)).length;
      if (missing) problems.push(`client ${c} missed ${missing} task.finished events`);
      const from = s.ids.indexOf(s.firstTask ?? -1);
      const run = s.ids.slice(Math.max(0, from));
      const gaps = run.filter((id, i) => i > 0 && id !== run[i - 1]! + 1).length;
      if (gaps) problems.push(`client ${c}: ${gaps} gaps in the event ids`);
    });
  } finally {
    stop.abort();
    await q.stop();
    data.remove();
  }
  const p = (xs: number[]) => `p50 ${ms(quantile(xs, 0.5))} p99 ${ms(quantile(xs, 0.99))}`;
  return result("R7", `${clients} SSE clients, ${tasks} tasks: GET /api/tasks ${p(latency.tasks)}, GET /api/health ${p(latency.health)} (goal p99 ≤ 50 ms); ${problems.length ? problems.length + " clients lost events" : "no event lost"}`, problems);
}
