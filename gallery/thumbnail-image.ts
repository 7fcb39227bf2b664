/**
 * One thumbnail: decode the picture (engine PNGs on a native-zlib fast path,
 * other PNGs with fast-png, JPEG with jpeg-js, WebP with libwebp-wasm; none
 * of them before the header's pixel count passed pictures/limits.ts),
 * shrink it with an area-averaging box filter (each thumbnail pixel is the
 * exact mean of the source pixels it covers: no aliasing when shrinking, the
 * only direction thumbnails go), encode WebP. The original bytes are only
 * read. Runs inside the thumbnail worker.
 */
import { jpegJs } from "../pictures/codecs";
import { pngToRgba } from "../pictures/convert";
import { sniffImage } from "../common/image-data";
import { encodeWebp } from "../pictures/webp-encode";
import { assertDecodable, MAX_PICTURE_PIXELS, PictureTooLargeError } from "../pictures/limits";
import { decodeWebp } from "../pictures/webp-decode";
import { decodeCommonPng } from "../pictures/png-fast";
import type { Rgba } from "../pictures/rgba";
import { NamedError } from "../core/server/errors";

export class ThumbnailError extends NamedError {
  override name = "ThumbnailError";
  override readonly code = "thumbnail_failed";
  override readonly status = 422;
}

/** Pixels of the picture; PictureTooLargeError before any decoding when its header names too many. */
async function decode(bytes: Uint8Array): Promise<Rgba> {
  const kind = sniffImage(bytes);
  if (kind) assertDecodable(bytes);
  if (kind === "png") return decodeCommonPng(bytes) ?? pngToRgba(bytes);
  if (kind === "jpeg") {
    const img = jpegJs().decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PICTURE_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
    return { width: img.width, height: img.height, data: img.data };
  }
  if (kind === "webp") return decodeWebp(bytes);
  throw new ThumbnailError("not a PNG, JPEG or WebP image");
}

/** The size that fits within `max`×`max`, keeping the aspect ratio (never enlarging). */
export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Area-average downscale of RGBA pixels. */
export function shrink(src: Rgba, width: number, height: number): Rgba {
  if (width === src.width && height === src.height) return src;
  const out = new Uint8Array(width * height * 4);
  const sx = src.width / width;
  const sy = src.height / height;
  const acc = new Float64Array(width * 4);
  for (let y = 0; y < height; y++) {
    acc.fill(0);
    const y0 = y * sy;
    const y1 = y0 + sy;
    for (let py = Math.floor(y0); py < Math.min(src.height, Math.ceil(y1)); py++) {
      const wy = Math.min(y1, py + 1) - Math.max(y0, py);
      const row = py * src.width * 4;
      for (let x = 0; x < width; x++) {
        const x0 = x * sx;
        const x1 = x0 + sx;
        for (let px = Math.floor(x0); px < Math.min(src.width, Math.ceil(x1)); px++) {
          const w = wy * (Math.min(x1, px + 1) - Math.max(x0, px));
          const s = row + px * 4;
          const a = x * 4;
          acc[a] = acc[a]! + src.data[s]! * w;
          acc[a + 1] = acc[a + 1]! + src.data[s + 1]! * w;
          acc[a + 2] = acc[a + 2]! + src.data[s + 2]! * w;
          acc[a + 3] = acc[a + 3]! + src.data[s + 3]! * w;
        }
      }
    }
    const area = sx * sy;
    const o = y * width * 4;
    for (let i = 0; i < width * 4; i++) out[o + i] = Math.round(acc[i]! / area);
  }
  return { width, height, data: out };
}

/** A WebP thumbnail of a picture, at most `max` px on its long side. */
export async function makeThumbnail(bytes: Uint8Array, max = 256, quality = 75): Promise<{ webp: Uint8Array; width: number; height: number }> {
  let image: Rgba;
  try {
    image = await decode(bytes);
  } catch (err) {
    if (err instanceof ThumbnailError || err instanceof PictureTooLargeError) throw err;
    throw new ThumbnailError(`could not decode the picture: ${(err as Error).message}`);
  }
  const size = fitWithin(image.width, image.height, max);
  const small = shrink(image, size.width, size.height);
  // libwebp method 1: a third of the default's time for a thumbnail, within 1% of its size.
  return { webp: await encodeWebp(small.data, small.width, small.height, quality, 1), ...size };
}
