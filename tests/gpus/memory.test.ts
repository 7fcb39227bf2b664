/**
 * Out of GPU memory on a computer with several GPUs: the level that worked is remembered for the GPU
 * the engine runs on (each GPU of the pool has its own memory; a 24 GB card and an 8 GB card need not
 * share one), through the real app over the stand-in listing two CUDA GPUs of 800 MiB each.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { tempData, until, waitState } from "../queue/harness";
import { startGpuApp } from "./harness";

setDefaultTimeout(90_000);
const data = tempData("ed-gpus-memory-");
// 800 MiB GPUs: everything resident (1012 MiB of weights) does not fit; auto-fit's time-share does (tests/standin/memory.ts).
const q = await startGpuApp(data.dir, 2, 24, { gpuMemoryMb: 800, stepMs: 20 });
afterAll(async () => {
  await q.stop();
  data.remove();
});

test("each GPU engine remembers the memory level that worked on its own GPU", async () => {
  await until("an engine per GPU", () => q.pool.members().filter((m) => !m.split).length === 2);
  q.app.ctx.config.update({ engine: { memory: "fastest" } });
  const submit = async (seed: number) => {
    const json = { prompt: "gpus", model: "sd-test.safetensors", steps: 2, width: 64, height: 64, seed };
    return ((await (await q.api("/api/tasks", { method: "POST", json })).json()) as { id: string }).id;
  };
  // Two at once: one on each GPU, each out of memory at Fastest, each retried once at Low (on a pinned GPU,
  // Automatic asks for what Fastest does: no --auto-fit with --backend, common/memory-levels.ts).
  const ids = await Promise.all([submit(1), submit(2)]);
  for (const id of ids) expect(await waitState(q, id, ["succeeded", "failed"])).toMatchObject({ state: "succeeded" });
  const { levels } = (await (await q.api("/api/queue/memory-levels")).json()) as { levels: { device: string; level: string }[] };
  expect(levels.map((l) => `${l.device} ${l.level}`).sort()).toEqual(["CUDA0 low", "CUDA1 low"]);
});

test("the level a retry goes down to: Automatic is skipped on a chosen device, where it asks for what Fastest does", async () => {
  const { lowerLevel, memoryArgs } = await import("../../common/memory-levels");
  expect([lowerLevel("fastest"), lowerLevel("auto"), lowerLevel("low"), lowerLevel("very_low")]).toEqual(["auto", "low", "very_low", null]);
  expect(lowerLevel("fastest", "CUDA1")).toBe("low");
  expect(memoryArgs("auto", { device: "CUDA1", leave_free_gb: 0 })).toEqual(memoryArgs("fastest", { device: "CUDA1", leave_free_gb: 0 }));
});
