/**
 * The queue's hook into upscaling for one running task: the upscale task
 * kind (`run`), the post-step after each saved picture (`afterImage`), and
 * the task's outcome with a post-step failure folded in (`outcome`: the
 * originals are saved, the task fails with the upscaler's code).
 */
import { basename } from "node:path";
import type { RunOutcome } from "../queue/runner";
import type { ImageRecord, Task } from "../queue/task";
import { upscaleTaskError } from "./run";
import { runUpscaleTask, upscaleAfterImage, type UpscaleTaskDeps } from "./task";

/** The model-set key of upscale tasks: they need no engine model set, so they never restart it. */
export const UPSCALE_KEY = "upscale";

export class UpscaleStep {
  #failure: RunOutcome | null = null;

  constructor(
    readonly task: Task,
    readonly deps: UpscaleTaskDeps,
  ) {}

  /** An upscale task (request with `upscale_of`). */
  run(): Promise<RunOutcome> {
    return runUpscaleTask(this.task, this.deps);
  }

  /** The post-step for one saved picture, from the engine's PNG (whatever the output format); nothing without `upscale`, after a failure, or once cancelled. */
  async afterImage(index: number, enginePng: Uint8Array, saved: ImageRecord, cancelled: boolean): Promise<void> {
    if (!this.task.request.upscale || this.#failure || cancelled) return;
    try {
      await upscaleAfterImage(this.task, index, { bytes: enginePng, label: saved.path ? basename(saved.path) : saved.id, width: saved.width, height: saved.height }, this.deps);
    } catch (err) {
      const mapped = upscaleTaskError(err);
      if (mapped === null) throw err;
      this.#failure = mapped === "cancelled" ? { state: "cancelled" } : { state: "failed", error: mapped };
    }
  }

  outcome(outcome: RunOutcome): RunOutcome {
    return this.#failure && outcome.state === "succeeded" ? this.#failure : outcome;
  }
}
