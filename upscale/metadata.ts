/**
 * What an upscaled picture says of itself, saved through the queue like any
 * picture (TaskRun.savePicture → queue/outputs.ts): the source's generation
 * settings plus `upscaled` (factor, model, source, note) in our JSON,
 * `Postprocess upscale by/upscaler` in the infotext (as A1111's Extras tab
 * writes them), and for PNG a `Description` text chunk "Upscaled ×4 with
 * <model> from <source>". A new picture: new id, new file.
 */
import type { ResolvedRequest, UpscaledNote } from "../common/image-request";
import type { Task } from "../queue/task";

export function upscaledRequest(task: Task, index: number, note: UpscaledNote): ResolvedRequest {
  const { upscale_of: _source, ...settings } = task.request;
  return { ...settings, seed: task.request.seed + index, upscaled: note };
}
