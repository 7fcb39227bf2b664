/** The pure decisions: which devices get an engine, how a model set runs on them, and which task goes to which executor. */
import { describe, expect, test } from "bun:test";
import { GiB, poolDevices, setMode, splitBackend, withMemory, type PoolDevice } from "../../engine/pool/plan";
import { parseDeviceList } from "../../engine/devices";
import { dispatch, type Slot } from "../../queue/dispatch";
import { pickNext } from "../../queue/pick";

const listed = parseDeviceList("CUDA0\tRTX A\nCUDA1\tRTX B\nCUDA2\tRTX C\nCPU\tAMD EPYC\n");
const gb = (name: string, memory: number): PoolDevice => ({ name, description: name, memoryBytes: memory * GiB });

describe("poolDevices", () => {
  test("Automatic: every GPU, never the CPU; one GPU or a single pinned device: one engine as before", () => {
    expect(poolDevices(listed, []).map((d) => d.name)).toEqual(["CUDA0", "CUDA1", "CUDA2"]);
    expect(poolDevices(parseDeviceList("CUDA0\tx\nCPU\ty\n"), [])).toEqual([]);
    expect(poolDevices(parseDeviceList("CPU\ty\n"), [])).toEqual([]);
    expect(poolDevices(listed, [], "CUDA1")).toEqual([]);
  });
  test("a chosen subset, in the engine's order, any case; unknown names and the CPU left out", () => {
    expect(poolDevices(listed, ["cuda2", "CUDA0", "Vulkan9", "CPU"]).map((d) => d.name)).toEqual(["CUDA0", "CUDA2"]);
  });
});

describe("setMode", () => {
  test("fits each GPU: throughput; only across them: split; not even across: throughput (memory levels lower it)", () => {
    const two = [gb("CUDA0", 8), gb("CUDA1", 8)];
    expect(setMode(5 * GiB, two)).toBe("throughput");
    expect(setMode(7 * GiB, two)).toBe("split");
    expect(setMode(13 * GiB, two)).toBe("throughput");
  });
  test("one device, or memory not known: throughput", () => {
    expect(setMode(100 * GiB, [gb("CUDA0", 8)])).toBe("throughput");
    expect(setMode(100 * GiB, [gb("CUDA0", 8), { name: "Vulkan0", description: "" }])).toBe("throughput");
  });
  test("the smallest GPU decides", () => {
    expect(setMode(7 * GiB, [gb("CUDA0", 24), gb("CUDA1", 8)])).toBe("split");
  });
});

test("splitBackend: layer split of diffusion and text encoder, row split only when every device is CUDA", () => {
  expect(splitBackend([gb("CUDA0", 8), gb("CUDA1", 8)])).toEqual({ backend: "all=CUDA0,diffusion=CUDA0&CUDA1,te=CUDA0&CUDA1", splitMode: "row" });
  expect(splitBackend([gb("Vulkan0", 8), gb("Vulkan1", 8)])).toEqual({ backend: "all=Vulkan0,diffusion=Vulkan0&Vulkan1,te=Vulkan0&Vulkan1" });
});

test("withMemory: the n-th CUDA device is the n-th NVIDIA GPU detection found", () => {
  const gpus = [{ vendor: "nvidia", vramBytes: 8 * GiB }, { vendor: "nvidia", vramBytes: 24 * GiB }];
  expect(withMemory(listed, gpus).map((d) => d.memoryBytes)).toEqual([8 * GiB, 24 * GiB, undefined, undefined]);
});

describe("dispatch", () => {
  const q = (...keys: string[]) => keys.map((modelKey, i) => ({ id: `t${i}`, modelKey }));
  const slot = (id: string, key: string | null, can: (k: string) => boolean = () => true): Slot => ({
    id,
    key,
    score: (c) => (can(c.modelKey) ? (c.modelKey === key ? 2 : key === null ? 1 : 0) : null),
  });
  test("with one executor it is pickNext", () => {
    for (const [keys, held] of [[["B", "B", "A"], "A"], [["A", "B"], "A"], [["B", "C"], "A"], [["A"], null]] as const) {
      const pick = pickNext(q(...keys), held, new Map());
      expect(dispatch(q(...keys), [slot("e", held)], new Map())).toEqual(pick && { taskId: pick.id, slotId: "e", skipped: pick.skipped });
    }
  });
  test("the head goes first, to the executor holding its set; an empty one before one that must reload", () => {
    expect(dispatch(q("A", "B"), [slot("x", "B"), slot("y", "A")], new Map())).toEqual({ taskId: "t0", slotId: "y", skipped: [] });
    expect(dispatch(q("A"), [slot("x", "B"), slot("y", null)], new Map())).toEqual({ taskId: "t0", slotId: "y", skipped: [] });
  });
  test("a task only a waiting executor can run, once passed over enough, holds back the tasks behind it", () => {
    const gpu = slot("gpu", "A", (k) => k !== "big");
    const split = slot("split", null, (k) => k === "big");
    expect(dispatch(q("big", "A"), [gpu], new Map([["t0", 2]]), 3, [split])).toEqual({ taskId: "t1", slotId: "gpu", skipped: [] });
    expect(dispatch(q("big", "A"), [gpu], new Map([["t0", 3]]), 3, [split])).toBeNull();
    // Not when nothing could ever run it, or an idle executor can.
    expect(dispatch(q("big", "A"), [gpu], new Map([["t0", 3]]), 3, [])).toEqual({ taskId: "t1", slotId: "gpu", skipped: [] });
    expect(dispatch(q("big", "A"), [gpu, split], new Map([["t0", 3]]), 3, [])).toEqual({ taskId: "t0", slotId: "split", skipped: [] });
  });

  test("an executor that cannot run the head takes the next task it can", () => {
    expect(dispatch(q("big", "A"), [slot("gpu", "A", (k) => k !== "big")], new Map())).toEqual({ taskId: "t1", slotId: "gpu", skipped: [] });
    expect(dispatch(q("big"), [slot("gpu", "A", (k) => k !== "big")], new Map())).toBeNull();
  });
});
