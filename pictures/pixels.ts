/**
 * A picture (PNG, JPEG or WebP bytes) ↔ 8-bit RGBA pixels, for steps that
 * work on pixels in the launcher (built-in upscalers, mask inversion). The
 * size is read from the header first and a picture over MAX_DECODE_PIXELS is
 * refused before anything is decoded, so a small file cannot claim gigabytes.
 */
import { fastPng, jpegJs } from "./codecs";
import { pngToRgba } from "./convert";
import { sniffImage } from "../common/image-data";
import { pictureDimensions } from "./limits";
import type { Rgba } from "./rgba";
import { decodeWebp } from "./webp-decode";
import { NamedError } from "../core/server/errors";

/** 4096×4096: the largest picture the engine makes (common/image-request.ts MAX_SIZE per side). */
export const MAX_DECODE_PIXELS = 4096 * 4096;

/** Not a picture we can read, or one too large to decode. */
export class PictureError extends NamedError {
  override name = "PictureError";
  override readonly code = "unreadable_image";
  override readonly status = 400;
}

/** Width and height from the header, or null when the bytes are not a PNG, JPEG or WebP picture (picture-limits.ts). */
export const pictureSize = pictureDimensions;

export async function decodePicture(bytes: Uint8Array): Promise<Rgba> {
  const size = pictureSize(bytes);
  if (!size || !(size.width > 0 && size.height > 0)) throw new PictureError("not a PNG, JPEG or WebP picture");
  if (size.width * size.height > MAX_DECODE_PIXELS)
    throw new PictureError(`the picture is ${size.width}×${size.height}; at most ${MAX_DECODE_PIXELS / 1024 / 1024} megapixels (4096×4096) are read`);
  try {
    const kind = sniffImage(bytes);
    if (kind === "png") return pngToRgba(bytes);
    if (kind === "jpeg") {
      const img = jpegJs().decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_DECODE_PIXELS / 1e6 + 1, maxMemoryUsageInMB: 512 });
      return { width: img.width, height: img.height, data: img.data };
    }
    return await decodeWebp(bytes);
  } catch (err) {
    throw new PictureError(`the picture could not be decoded: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function encodePicturePng(rgba: Rgba): Uint8Array {
  return fastPng().encode({ width: rgba.width, height: rgba.height, data: rgba.data, channels: 4, depth: 8 });
}
