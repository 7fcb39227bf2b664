/**
 * Speed and GPU memory use through the real app, queue and engine manager on
 * the stand-in sd-server (a real child process): the cache fields reach the
 * engine, its summary line reaches the task and the picture, out of GPU
 * memory retries a level lower and remembers it, the device becomes --backend.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readImageMetadata } from "../../pictures/metadata/read";
import { FAST } from "../standin/fixtures";
import { standin, startQueueApp, taskState, tempData, waitState, type QueueApp } from "./harness";

let q: QueueApp | undefined;
let data: { dir: string; remove(): void } | undefined;
afterEach(async () => {
  await q?.stop();
  data?.remove();
  q = data = undefined;
});

const starts = (dir: string) => readFileSync(join(dir, "argv.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]);

async function task(app: QueueApp, fields: Record<string, unknown>) {
  const res = await app.api("/api/tasks", { method: "POST", json: { prompt: "a lighthouse", model: "sd-test.safetensors", seed: 42, width: 64, height: 64, ...fields } });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  return waitState(app, id, ["succeeded", "failed"]);
}

const view = async (app: QueueApp, id: string) =>
  (await (await app.api(`/api/tasks/${id}`)).json()) as { request: Record<string, unknown>; notes?: { speed?: { mode: string; reused?: string; note?: string }; memory?: { level: string; retriedFrom?: string; note?: string } } };

describe("Speed through the app", () => {
  test("Fast on an SD 1.x model: ucache sent, the engine's summary on the task, Cache in the picture's metadata", async () => {
    data = tempData();
    q = await startQueueApp(data.dir, standin(data.dir));
    const done = await task(q, { speed: "fast", steps: 20 });
    expect(done.state).toBe("succeeded");
    const v = await view(q, done.id);
    expect(v.request.speed).toBe("fast");
    expect(v.notes?.speed?.mode).toBe("ucache");
    // The stand-in's fixed-change model skips 8 of 20 at threshold 1.5 (tests/standin/cache.ts); the line is upstream's.
    expect(v.notes?.speed?.reused).toMatch(/^\d+ of 20 steps reused, ×\d\.\d$/);
    const bytes = new Uint8Array(await (await q.api(done.images[0]!.url)).arrayBuffer());
    const meta = readImageMetadata(bytes);
    expect(meta.parameters).toContain("Cache: ucache threshold=1.5");
    expect(meta.parameters).toContain(`Cache reused: "${v.notes?.speed?.reused}"`);
    expect(meta.settings.speed).toBe("fast");
    // Reused steps draw at ~1000 it/s on the bar; the task's rate and ETA stay the pass's average, not those spikes.
    const rates = q.events.filter((e) => e.type === "task.progress" && (e.data as { id: string; phase?: string; step: number }).phase === "sampling" && (e.data as { step: number }).step > 1).map((e) => (e.data as { rate: number }).rate);
    expect(rates.length).toBeGreaterThan(5);
    // Reused steps alone would show ~1000 it/s; the average stays within a few times the stand-in's step rate.
    expect(Math.max(...rates.filter((r) => r !== null))).toBeLessThan((1000 / FAST.stepMs!) * 5);
  }, 60_000);

  test("no speed in the request: the Settings default (engine.speed) is used and recorded; Balanced is spectrum's fixed 9 of 20", async () => {
    data = tempData();
    q = await startQueueApp(data.dir, standin(data.dir));
    q.app.ctx.config.update({ engine: { speed: "balanced" } });
    const done = await task(q, { steps: 20 });
    const v = await view(q, done.id);
    expect(v.request.speed).toBe("balanced");
    expect(v.notes?.speed).toMatchObject({ mode: "spectrum", reused: "9 of 20 steps reused, ×1.8" });
  }, 60_000);

  test("too few steps: runs at Quality and the card says why; a bad speed is a 400 naming the field", async () => {
    data = tempData();
    q = await startQueueApp(data.dir, standin(data.dir));
    const done = await task(q, { speed: "fast", steps: 4 });
    const v = await view(q, done.id);
    expect(v.notes?.speed?.mode).toBe("disabled");
    expect(v.notes?.speed?.note).toContain("too few");
    const bad = await q.api("/api/tasks", { method: "POST", json: { prompt: "x", model: "sd-test.safetensors", speed: "ludicrous" } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("speed");
  }, 60_000);
});

describe("GPU memory use through the app", () => {
  test("out of GPU memory at Fastest → retried once at Automatic, the card says so, remembered, the next task starts there", async () => {
    data = tempData();
    // An 800 MiB GPU: everything resident (1012 MiB of weights) does not fit; auto-fit's time-share does (tests/standin/memory.ts).
    const build = standin(data.dir, { gpuMemoryMb: 800 });
    q = await startQueueApp(data.dir, build);
    q.app.ctx.config.update({ engine: { memory: "fastest" } });
    const first = await task(q, { steps: 2 });
    expect(first.state).toBe("succeeded");
    const v = await view(q, first.id);
    expect(v.notes?.memory).toEqual({ level: "auto", retriedFrom: "fastest", note: "Out of GPU memory: ran with Automatic memory use" });
    const argv = starts(build.dir);
    expect(argv.at(-2)).not.toContain("--auto-fit");
    expect(argv.at(-1)).toContain("--auto-fit");
    const levels = (await (await q.api("/api/queue/memory-levels")).json()) as { levels: { model: string; level: string }[] };
    expect(levels.levels).toHaveLength(1);
    expect(levels.levels[0]!.level).toBe("auto");
    expect(levels.levels[0]!.model).toEndWith("sd-test.safetensors");
    // The next task starts at the remembered level: no second out-of-memory, no restart.
    const count = starts(build.dir).length;
    const second = await task(q, { steps: 2, seed: 7 });
    expect(second.state).toBe("succeeded");
    expect((await view(q, second.id)).notes?.memory).toEqual({ level: "auto", note: "Automatic memory use (remembered for this model)" });
    expect(starts(build.dir)).toHaveLength(count);
  }, 90_000);

  test("out of memory at every level it tries: fails after one retry, saying so", async () => {
    data = tempData();
    const build = standin(data.dir, { gpuMemoryMb: 300 });
    q = await startQueueApp(data.dir, build);
    q.app.ctx.config.update({ engine: { memory: "auto" } });
    const done = await task(q, { steps: 2 });
    expect(done.state).toBe("failed");
    expect(done.error?.code).toContain("out_of_memory");
    expect((await view(q, done.id)).notes?.memory).toMatchObject({ level: "low", retriedFrom: "auto", note: "Out of GPU memory, also with Low memory use" });
    // Two starts: auto, then low; never a third.
    expect(starts(build.dir).map((a) => a.includes("--offload-to-cpu"))).toEqual([false, true]);
  }, 90_000);

  test("Settings → Engine → Device: the named device goes to --backend", async () => {
    data = tempData();
    const build = standin(data.dir, { gpuMemoryMb: 4096 });
    q = await startQueueApp(data.dir, build);
    q.app.ctx.config.update({ engine: { device: "CUDA0", memory: "low" } });
    expect((await task(q, { steps: 2 })).state).toBe("succeeded");
    const argv = starts(build.dir).at(-1)!;
    expect(argv.slice(argv.indexOf("--backend"), argv.indexOf("--backend") + 2)).toEqual(["--backend", "CUDA0"]);
    expect(argv).toContain("--offload-to-cpu");
  }, 60_000);
});
