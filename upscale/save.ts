/**
 * Saves an upscaled picture through the normal output pipeline (outputs.ts):
 * the source's generation settings plus `upscaled` (factor, model, source,
 * note) in our JSON, `Postprocess upscale by/upscaler` in the infotext (as
 * A1111's Extras tab writes them), and for PNG a `Description` text chunk
 * "Upscaled ×4 with <model> from <source>". A new picture: new id, new file.
 */
import { embedMetadata } from "../queue/outputs";
import type { UpscaledNote } from "../common/image-request";
import { storeOutput, type SaveDeps } from "../queue/save";
import type { ImageRecord, Task } from "../queue/task";

export async function saveUpscaled(deps: SaveDeps, task: Task, index: number, png: Uint8Array, note: UpscaledNote): Promise<ImageRecord> {
  const { upscale_of: _source, ...settings } = task.request;
  const request = { ...settings, seed: task.request.seed + index, upscaled: note };
  const created = Date.now();
  return storeOutput(deps, task, index, request.prompt, request.seed, await embedMetadata(png, request), created);
}
