/**
 * The upscale task kind: a task whose request has `upscale_of` (made by
 * POST /api/upscale) runs no generation; it upscales that one picture and
 * saves the result as a new picture of the task. And the post-step of an
 * image task with `upscale`: after each picture is saved, its upscaled copy
 * is saved too (both are kept; the copy's metadata names the original).
 */
import type { ImageRecord, Task } from "../queue/task";
import type { RunOutcome } from "../queue/runner";
import type { UpscaleSource } from "../common/image-request";
import { upscaledNote, upscaleForTask, upscaleTaskError, type UpscaleRunDeps } from "./run";

export interface UpscaleTaskDeps extends UpscaleRunDeps {
  /** The source picture's bytes (an output by id, or the uploaded data). */
  loadSource(source: UpscaleSource): Promise<Uint8Array>;
  save(png: Uint8Array, index: number, note: ReturnType<typeof upscaledNote>): Promise<ImageRecord>;
}

export async function runUpscaleTask(task: Task, deps: UpscaleTaskDeps): Promise<RunOutcome> {
  const source = task.request.upscale_of!;
  const { factor, model } = task.request.upscale!;
  try {
    const bytes = await deps.loadSource(source);
    const up = await upscaleForTask(deps, factor, model, bytes, { image: 1, images: 1 });
    await deps.save(up.png, 0, upscaledNote(factor, model, source));
    return { state: "succeeded" };
  } catch (err) {
    const mapped = upscaleTaskError(err);
    if (mapped === null) throw err;
    return mapped === "cancelled" ? { state: "cancelled" } : { state: "failed", error: mapped };
  }
}

/** The post-step for one saved picture of an image task (throws the upscale errors; the caller maps them). */
export async function upscaleAfterImage(
  task: Task,
  index: number,
  saved: { bytes: Uint8Array; label: string; width: number; height: number },
  deps: Omit<UpscaleTaskDeps, "loadSource">,
): Promise<ImageRecord> {
  const { factor, model } = task.request.upscale!;
  const up = await upscaleForTask(deps, factor, model, saved.bytes, { image: index + 1, images: task.request.num_images });
  return deps.save(up.png, index, upscaledNote(factor, model, saved));
}
