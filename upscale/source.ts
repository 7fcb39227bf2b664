/**
 * The bytes of an upscale task's source picture: an output by image id (its
 * file, only inside the outputs folder; or an incognito picture in memory),
 * or the uploaded data kept in the request.
 */
import { realInside } from "../core/files/inside";
import { decodeImage } from "../common/image-data";
import type { IncognitoMemory } from "../queue/incognito";
import type { UpscaleSource } from "../common/image-request";
import type { TaskStore } from "../queue/store";
import { UpscaleSourceError } from "./errors";

export async function loadUpscaleSource(source: UpscaleSource, store: TaskStore, incognito: IncognitoMemory, outputs: string): Promise<Uint8Array> {
  if (source.image) return decodeImage(source.image);
  const id = source.image_id ?? "";
  const held = incognito.fetch(id);
  if (held) return held.bytes;
  const path = store.imagePath(id);
  if (!path || !realInside(outputs, path) || !(await Bun.file(path).exists())) throw new UpscaleSourceError(`the picture ${id} is gone (deleted since the upscale was queued)`);
  return new Uint8Array(await Bun.file(path).arrayBuffer());
}
