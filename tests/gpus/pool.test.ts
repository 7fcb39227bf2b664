/**
 * Several GPUs in one computer, through the real app: the engine pool over a stand-in build that lists
 * two CUDA GPUs (`--list-devices`, tests/fixtures/sd-server/list-devices-cuda2.txt) runs one sd-server per
 * GPU, each pinned with `--backend CUDA<i>` on its own port; the queue runs a task on each at once, a task
 * goes to the engine that holds its model set (no restart), an engine killed mid-task affects only its task
 * (it runs once more on the other GPU),
 * and a model too big for one GPU but not for both runs on one engine split over them.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TELLTALES, writeSafetensors } from "../models/fixtures";
import { taskState, tempData, until, waitState } from "../queue/harness";
import { flagOf, GiB, startGpuApp, type GpuApp } from "./harness";

setDefaultTimeout(90_000);

const data = tempData("ed-gpus-");
// 1 GiB (sparse): with 2.5 GiB GPUs it fits neither alone (1 + 2 GiB headroom) but both together (1 + 2 × 2 ≤ 5).
writeSafetensors(join(data.dir, "models", "stable-diffusion", "big.safetensors"), TELLTALES.sd1!, {}, { truncateTo: GiB });
let q: GpuApp;

beforeAll(async () => {
  q = await startGpuApp(data.dir, 2, 2.5, { stepMs: 40 });
  await until("three engines", () => q.pool.members().length === 3);
});
afterAll(async () => {
  await q?.stop();
  data.remove();
});

const starts = () => q.argv().filter((a) => a.includes("--listen-port"));

async function submit(json: Record<string, unknown> = {}): Promise<string> {
  const res = await q.api("/api/tasks", { method: "POST", json: { prompt: "gpus", model: "sd-test.safetensors", steps: 4, width: 64, height: 64, ...json } });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

describe("one engine per GPU", () => {
  test("the stand-in lists its GPUs in upstream's format, and the pool has an engine for each and one split over both", async () => {
    const listed = Bun.spawnSync([q.build.serverPath, "--list-devices"]).stdout.toString();
    expect(listed).toBe(readFileSync(join(import.meta.dir, "../fixtures/sd-server/list-devices-cuda2.txt"), "utf8"));
    const body = (await (await q.api("/api/engine")).json()) as { engines: { id: string; mode: string; devices: { name: string }[] }[] };
    expect(body.engines.map((e) => [e.id, e.mode, e.devices.map((d) => d.name).join("+")])).toEqual([
      ["engine", "throughput", "CUDA0"],
      ["engine:CUDA1", "throughput", "CUDA1"],
      ["engine:split", "split", "CUDA0+CUDA1"],
    ]);
  });

  test("two tasks run at the same time, one on each GPU, each engine pinned to its device on its own port", async () => {
    const ids = [await submit({ steps: 12 }), await submit({ steps: 12 })];
    await until("both running at once", async () => ((await (await q.api("/api/queue")).json()) as { running: number }).running === 2);
    const running = q.pool.view().filter((e) => e.task);
    expect(running.map((e) => e.task).sort()).toEqual([...ids].sort());
    for (const id of ids) expect((await waitState(q, id, ["succeeded", "failed"])).state).toBe("succeeded");
    const pinned = starts().map((a) => flagOf(a, "--backend"));
    expect(pinned.sort()).toEqual(["CUDA0", "CUDA1"]);
    expect(new Set(starts().map((a) => flagOf(a, "--listen-port"))).size).toBe(2);
    // Each its own log: the file beside the first's, and GET …/logs.
    expect(existsSync(join(data.dir, "logs", "engine-CUDA1.log"))).toBe(true);
    const logs = (await (await q.api("/api/engine/engines/engine:CUDA1/logs?lines=50")).json()) as { lines: string[] };
    expect(logs.lines.some((l) => l.includes("--backend CUDA1") || l.includes("CUDA1"))).toBe(true);
    expect((await q.api("/api/engine/engines/engine:CUDA1/logs?lines=0")).status).toBe(400);
  });

  test("a task goes to the engine that already holds its model set: no restart", async () => {
    // CUDA0 and CUDA1 hold sd-test now. One "other" task makes one of them load it.
    await waitState(q, await submit({ model: "other.safetensors" }), ["succeeded"]);
    const before = starts().length;
    await q.api("/api/queue", { method: "PATCH", json: { paused: true } });
    const ids = [];
    for (const model of ["sd-test.safetensors", "other.safetensors", "sd-test.safetensors", "other.safetensors"]) ids.push(await submit({ model }));
    await q.api("/api/queue", { method: "PATCH", json: { paused: false } });
    for (const id of ids) expect((await waitState(q, id, ["succeeded", "failed"])).state).toBe("succeeded");
    expect(starts().length).toBe(before);
  });

  test("an engine killed mid-task affects only its task: it runs once more on the other GPU; the other task runs on", async () => {
    const ids = [await submit({ steps: 40 }), await submit({ steps: 40 })];
    await until("both sampling", async () => {
      const states = await Promise.all(ids.map((id) => taskState(q, id)));
      return states.every((t) => t.state === "running" && t.progress.phase === "sampling");
    });
    const victim = q.pool.members().find((m) => m.id === "engine:CUDA1")!;
    const doomed = victim.task!;
    const other = ids.find((id) => id !== doomed)!;
    process.kill(victim.engine.supervisor.running!.pid, "SIGKILL");
    const retried = (await waitState(q, doomed, ["succeeded", "failed"])) as Awaited<ReturnType<typeof taskState>> & { notes?: { retry?: { from: string } } };
    expect(retried.state).toBe("succeeded");
    expect(retried.notes?.retry?.from).toBe("engine:CUDA1");
    const untouched = (await waitState(q, other, ["succeeded", "failed"])) as typeof retried;
    expect(untouched.state).toBe("succeeded");
    expect(untouched.notes?.retry).toBeUndefined();
    // It ran again on the engine that was not killed (the pool announced who ran it), once.
    const ranOn = q.events.filter((e) => e.type === "engine.pool").flatMap((e) => (e.data as { engines: { id: string; task: string | null }[] }).engines);
    expect(new Set(ranOn.filter((x) => x.task === doomed).map((x) => x.id))).toEqual(new Set(["engine:CUDA1", "engine"]));
    expect(q.events.filter((e) => e.type === "task.started" && (e.data as { id: string }).id === doomed).length).toBe(2);
    // The killed engine comes back for the next task.
    expect((await waitState(q, await submit(), ["succeeded", "failed"])).state).toBe("succeeded");
  });

  test("a model set that fits only across the GPUs runs on one engine split over both (row split on CUDA)", async () => {
    const id = await submit({ model: "big.safetensors" });
    expect((await waitState(q, id, ["succeeded", "failed"])).state).toBe("succeeded");
    const split = starts().filter((a) => a.includes("--split-mode"));
    expect(split.length).toBe(1);
    expect(flagOf(split[0]!, "--backend")).toBe("all=CUDA0,diffusion=CUDA0&CUDA1,te=CUDA0&CUDA1");
    expect(flagOf(split[0]!, "--split-mode")).toBe("row");
    // The per-GPU engines gave their memory up for it.
    expect(q.pool.members().filter((m) => !m.split).every((m) => !m.engine.supervisor.running)).toBe(true);
  });

  test("a split task is not passed over forever by tasks the per-GPU engines keep taking", async () => {
    await q.api("/api/queue", { method: "PATCH", json: { paused: true } });
    const ids = [await submit({ steps: 6 }), await submit({ steps: 6 }), await submit({ model: "big.safetensors", steps: 2 })];
    for (let i = 0; i < 6; i++) ids.push(await submit({ steps: 6 }));
    const from = q.events.length;
    await q.api("/api/queue", { method: "PATCH", json: { paused: false } });
    for (const id of ids) expect((await waitState(q, id, ["succeeded", "failed"])).state).toBe("succeeded");
    const started = q.events.slice(from).filter((e) => e.type === "task.started").map((e) => (e.data as { id: string }).id);
    // Passed over at most three times (pick.ts fairness), then the GPUs come free for it.
    expect(started.indexOf(ids[2]!)).toBeLessThanOrEqual(5);
    expect(started.indexOf(ids[2]!)).toBeLessThan(started.indexOf(ids[8]!));
  });

  test("A1111 /progress reports the task it is asked about (our id or its force_task_id), else the oldest running", async () => {
    const settings = { override_settings: { sd_model_checkpoint: "sd-test" } };
    const a1111 = (name: string) =>
      q.api("/sdapi/v1/txt2img", { method: "POST", json: { prompt: name, steps: 30, width: 64, height: 64, force_task_id: name, ...settings } });
    const answers = [a1111("first-task"), a1111("second-task")];
    const running = await until("both running", async () => {
      const tasks = ((await (await q.api("/api/tasks")).json()) as { tasks: { id: string; state: string; request: { prompt: string } }[] }).tasks;
      const live = tasks.filter((t) => t.state === "running");
      return live.length === 2 && live;
    });
    const idOf = (prompt: string) => running.find((t) => t.request.prompt === prompt)!.id;
    const progress = async (query = "") => ((await (await q.api(`/sdapi/v1/progress${query}`)).json()) as { state: { job: string; job_count: number } }).state;
    expect((await progress("?id_task=second-task")).job).toBe(idOf("second-task"));
    expect((await progress(`?id_task=${idOf("second-task")}`)).job).toBe(idOf("second-task"));
    expect((await progress()).job).toBe(idOf("first-task"));
    expect((await progress()).job_count).toBe(2);
    expect((await progress("?id_task=nothing-like-it")).job).toBe("");
    for (const answer of answers) expect((await answer).status).toBe(200);
  });

  test("a paused engine takes no task; the other GPU runs them", async () => {
    const res = await q.api("/api/engine/engines/engine:CUDA1/pause", { method: "POST" });
    expect(((await res.json()) as { paused: boolean }).paused).toBe(true);
    const from = q.events.length;
    const ids = [await submit(), await submit()];
    for (const id of ids) expect((await waitState(q, id, ["succeeded", "failed"])).state).toBe("succeeded");
    // Who ran what, as the pool announced it (engine.pool events).
    const ran = q.events
      .slice(from)
      .filter((e) => e.type === "engine.pool")
      .flatMap((e) => (e.data as { engines: { id: string; task: string | null }[] }).engines.filter((x) => x.task).map((x) => `${x.id} ${x.task}`));
    expect(new Set(ran)).toEqual(new Set(ids.map((id) => `engine ${id}`)));
    expect((await q.api("/api/engine/engines/nope/pause", { method: "POST" })).status).toBe(404);
    await q.api("/api/engine/engines/engine:CUDA1/resume", { method: "POST" });
  });
});
