/**
 * Task kinds the queue does not know by name (queue/task-kinds.ts), through
 * the real app and queue with the stand-in engine: a test-only kind handed
 * to the queue service from outside (as launcher/wiring.ts hands upscale/'s)
 * runs requests it claims, reports progress, saves a picture the app serves
 * and reads it back, never starts the engine (its own engine key), is
 * cancelled through its signal, and fails with `internal` when it throws; a
 * picture step from outside runs after each picture of an image task and can
 * fold its failure into the outcome, and its submit check answers 400.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { encode as encodePng } from "fast-png";
import { pngSize } from "../../pictures/metadata/png";
import { ModelNotFoundError } from "../../models/resolve";
import type { PictureStep, TaskKind } from "../../queue/task-kinds";
import { standin, startQueueApp, taskState, tempData, until, waitState, type QueueApp } from "./harness";

setDefaultTimeout(60_000);

const TAG = "[test-kind]";
const png = encodePng({ width: 12, height: 8, data: new Uint8Array(12 * 8 * 4).fill(180), channels: 4 });
const readBack = new Map<string, number | null>();
const signalled: string[] = [];

/** Claims prompts starting with TAG; "wait" waits for a cancel, "throw" throws, anything else makes one 12×8 picture. */
const testKind: TaskKind = {
  name: "test",
  claims: (request) => request.prompt.startsWith(TAG),
  engineKey: () => "test-kind",
  run: async (run) => {
    run.progress({ phase: "sampling", step: 1, steps: 2, rate: null, eta: null });
    const prompt = run.task.request.prompt;
    if (prompt.includes("throw")) throw new Error("the test kind broke");
    if (prompt.includes("wait")) {
      await new Promise((resolve) => run.signal.addEventListener("abort", resolve, { once: true }));
      signalled.push(run.task.id);
      return { state: "cancelled" };
    }
    const saved = await run.savePicture(0, png, { ...run.task.request, prompt: "made by the test kind" });
    await run.afterPicture(0, png, saved);
    readBack.set(run.task.id, (await run.readPicture(saved.id))?.length ?? null);
    return { state: "succeeded" };
  },
};

const stamped: { task: string; index: number; image: string; bytes: number }[] = [];

/** Asked for by "[stamp]" in the prompt; "[stamp-fail]" fails the task after its pictures; "[stamp-refuse]" is refused at submit. */
const stampStep: PictureStep = {
  name: "stamp",
  wanted: (request) => request.prompt.includes("[stamp"),
  validate: (request) => {
    if (request.prompt.includes("[stamp-refuse]")) throw new ModelNotFoundError("stamp", "stable-diffusion", "nothing");
  },
  begin: (run) => ({
    afterPicture: async (index, bytes, saved) => void stamped.push({ task: run.task.id, index, image: saved.id, bytes: bytes.length }),
    outcome: (outcome) =>
      run.task.request.prompt.includes("[stamp-fail]") && outcome.state === "succeeded"
        ? { state: "failed", error: { code: "stamp_failed", message: "the stamp step failed" } }
        : outcome,
  }),
};

const data = tempData("ed-kinds-");
let q: QueueApp;
beforeAll(async () => {
  q = await startQueueApp(data.dir, standin(data.dir), undefined, { kinds: [testKind], pictureSteps: [stampStep], pollMinMs: 20, pollMaxMs: 100 });
});
afterAll(async () => {
  await q.stop();
  data.remove();
});

async function submit(json: Record<string, unknown>): Promise<string> {
  const res = await q.api("/api/tasks", { method: "POST", json: { model: "sd-test.safetensors", steps: 2, width: 64, height: 64, ...json } });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

describe("a kind registered from outside", () => {
  test("runs the requests it claims: progress and its picture on the bus, served by /api/images, read back; the engine never started", async () => {
    const id = await submit({ prompt: `${TAG} one picture` });
    const done = await waitState(q, id, ["succeeded", "failed"]);
    expect(done.state).toBe("succeeded");
    expect(done.images).toHaveLength(1);
    const bytes = new Uint8Array(await (await q.api(done.images[0]!.url)).arrayBuffer());
    expect(pngSize(bytes)).toEqual({ width: 12, height: 8 });
    expect(readBack.get(id)).toBe(bytes.length);
    const mine = q.events.filter((e) => (e.data as { id?: string }).id === id).map((e) => e.type);
    expect(mine).toEqual(["task.queued", "task.started", "task.progress", "task.image", "task.finished"]);
    const progress = q.events.filter((e) => e.type === "task.progress").map((e) => e.data as { id: string; step: number; steps: number });
    expect(progress.filter((p) => p.id === id)).toEqual([expect.objectContaining({ step: 1, steps: 2 })]);
    expect(["absent", "stopped"]).toContain(q.engine.status().state);
  });

  test("a cancel aborts its signal and ends it cancelled", async () => {
    const id = await submit({ prompt: `${TAG} wait` });
    await until("running", async () => (await taskState(q, id)).state === "running");
    const res = await q.api(`/api/tasks/${id}/cancel`, { method: "POST" });
    expect(res.status).toBe(200);
    expect((await waitState(q, id, ["cancelled", "failed", "succeeded"])).state).toBe("cancelled");
    expect(signalled).toContain(id);
  });

  test("what it throws fails the task with code internal; the queue goes on", async () => {
    const id = await submit({ prompt: `${TAG} throw` });
    const done = await waitState(q, id, ["succeeded", "failed"]);
    expect(done.error).toEqual({ code: "internal", message: "the test kind broke" });
    const next = await submit({ prompt: `${TAG} after` });
    expect((await waitState(q, next, ["succeeded", "failed"])).state).toBe("succeeded");
  });

  test("requests it does not claim are image tasks on the engine", async () => {
    const id = await submit({ prompt: "a lighthouse", seed: 3 });
    const done = await waitState(q, id, ["succeeded", "failed"]);
    expect(done.state).toBe("succeeded");
    expect(q.engine.status().state).toBe("ready");
  });
});

describe("a picture step registered from outside", () => {
  test("runs after each picture of an image task, with the engine's bytes and the saved record", async () => {
    const id = await submit({ prompt: "a cat [stamp]", num_images: 2, seed: 5 });
    const done = await waitState(q, id, ["succeeded", "failed"]);
    expect(done.state).toBe("succeeded");
    const mine = stamped.filter((s) => s.task === id);
    expect(mine.map((s) => s.index)).toEqual([0, 1]);
    expect(mine.map((s) => s.image)).toEqual(done.images.map((i) => i.id));
    expect(mine.every((s) => s.bytes > 0)).toBe(true);
  });

  test("runs after a picture of another kind that asks for it", async () => {
    const id = await submit({ prompt: `${TAG} [stamp]` });
    const done = await waitState(q, id, ["succeeded", "failed"]);
    expect(stamped.filter((s) => s.task === id).map((s) => s.image)).toEqual(done.images.map((i) => i.id));
  });

  test("its failure is folded into the outcome, the pictures kept", async () => {
    const id = await submit({ prompt: "a dog [stamp-fail]", seed: 6 });
    const done = await waitState(q, id, ["succeeded", "failed"]);
    expect(done.state).toBe("failed");
    expect(done.error?.code).toBe("stamp_failed");
    expect(done.images).toHaveLength(1);
  });

  test("its submit check refuses before anything is queued (400 model_not_found)", async () => {
    const queued = () => q.events.filter((e) => e.type === "task.queued").length;
    const before = queued();
    const res = await q.api("/api/tasks", { method: "POST", json: { prompt: "x [stamp-refuse]", model: "sd-test.safetensors" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("model_not_found");
    expect(queued()).toBe(before);
  });
});
