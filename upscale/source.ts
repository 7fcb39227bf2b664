/**
 * The bytes of an upscale task's source picture: the uploaded data kept in
 * the request, or a picture the queue saved, by image id (TaskRun.readPicture:
 * its file only inside the outputs folder, or an incognito picture in memory).
 */
import { decodeImage } from "../common/image-data";
import type { UpscaleSource } from "../common/image-request";
import { UpscaleSourceError } from "./errors";

export async function loadUpscaleSource(source: UpscaleSource, readPicture: (imageId: string) => Promise<Uint8Array | null>): Promise<Uint8Array> {
  if (source.image) return decodeImage(source.image);
  const id = source.image_id ?? "";
  const bytes = await readPicture(id);
  if (!bytes) throw new UpscaleSourceError(`the picture ${id} is gone (deleted since the upscale was queued)`);
  return bytes;
}
