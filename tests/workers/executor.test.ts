/** A worker as an executor (workers/executor.ts): which tasks it may take, with the board and files faked. */
import { describe, expect, test } from "bun:test";
import { workerExecutor, type WorkerExecutorDeps } from "../../workers/executor";
import type { Task } from "../../queue/task";

const SHA = "a".repeat(64);
const model = { field: "model", kind: "stable-diffusion", name: "sd.safetensors", path: "/m/sd.safetensors", sha256: SHA };

function executor(picture: (task: Task) => boolean) {
  const live = { state: "ready", models: [{ kind: "stable-diffusion", name: "other-name.safetensors", sha256: SHA, usable: true }] };
  const deps = {
    board: { live: () => live, o: { store: { get: () => ({ name: "den" }) } }, onChange: () => () => {} },
    files: { of: () => [model], forget: () => {} },
    downloadMissing: () => false,
    sourceOf: () => null,
    picture,
  } as unknown as WorkerExecutorDeps;
  return workerExecutor("w1", deps);
}

const task = (request: Record<string, unknown>, incognito = false) => ({ id: "t1", request, incognito }) as unknown as Task;

describe("worker executor", () => {
  test("takes a picture task whose files it has (by sha256, under another name)", () => {
    expect(executor(() => true).score(task({ model: "sd.safetensors" }), "k")).toBe(1);
  });

  test("a task of another kind (a video, an upscale) stays here even when the files match", () => {
    const isPicture = (t: Task) => !(t.request as { video?: unknown }).video;
    expect(executor(isPicture).score(task({ model: "sd.safetensors", video: { frames: 5 } }), "k")).toBeNull();
  });

  test("an incognito task stays here", () => {
    expect(executor(() => true).score(task({ model: "sd.safetensors" }, true), "k")).toBeNull();
  });
});
