/**
 * Saves an upscaled picture through the normal output pipeline (outputs.ts):
 * the source's generation settings plus `upscaled` (factor, model, source,
 * note) in our JSON, `Postprocess upscale by/upscaler` in the infotext (as
 * A1111's Extras tab writes them), and for PNG a `Description` text chunk
 * "Upscaled ×4 with <model> from <source>". A new picture: new id, new file.
 */
import { commitOutput, embedMetadata, stageOutput } from "../queue/outputs";
import type { UpscaledNote } from "../queue/request";
import type { SaveDeps } from "../queue/save";
import { newId, type ImageRecord, type Task } from "../queue/task";

export async function saveUpscaled(deps: SaveDeps, task: Task, index: number, png: Uint8Array, note: UpscaledNote): Promise<ImageRecord> {
  const { upscale_of: _source, ...settings } = task.request;
  const request = { ...settings, seed: task.request.seed + index, upscaled: note };
  const created = Date.now();
  const image = await embedMetadata(png, request);
  const record: ImageRecord = { id: newId("i"), taskId: task.id, seed: request.seed, width: image.width, height: image.height, format: image.format, created };
  if (task.incognito) {
    deps.incognito.putImage(record, image.bytes);
    return record;
  }
  const staged = stageOutput(deps.outputs, deps.templates, image, { date: new Date(created), id: task.id, prompt: request.prompt, seed: request.seed, index, imageId: record.id });
  deps.store.insertImage({ ...record, path: staged.path });
  commitOutput(staged);
  return { ...record, path: staged.path };
}
