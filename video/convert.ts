/**
 * An MJPG AVI (what an engine built without WebP/WebM offers) → an animated
 * WebP that every browser plays: each JPEG frame decoded (jpeg-js, as
 * pictures/ decodes JPEGs), encoded as a lossy WebP still by the libwebp the
 * app already ships (pictures/webp-encode.ts) and muxed into one animation
 * (pictures/animated-webp.ts). Bounded: frames and pixels from the AVI's
 * header before decoding, each JPEG's own header checked against it, and the
 * result's size. The first frame is also kept as a PNG (the poster).
 */
import { muxAnimatedWebp } from "../pictures/animated-webp";
import { pictureDimensions } from "../pictures/limits";
import { decodePicture, encodePicturePng } from "../pictures/pixels";
import { encodeWebp } from "../pictures/webp-encode";
import { AviError, parseAvi } from "./avi";

/** Frames × pixels one conversion decodes (e.g. 121 frames of 1280×1280 ≈ 198 M). */
export const MAX_CONVERT_PIXELS = 200 * 1000 * 1000;
export const MAX_WEBP_BYTES = 512 * 1024 * 1024;

export interface ConvertOptions {
  /** libwebp quality 1–100. */
  quality: number;
  /** libwebp method 0 (fastest) … 6 (smallest). */
  method?: number;
  /** Our request JSON for the XMP chunk. */
  json?: string;
  /** Called after each frame (progress: step i of n). */
  onFrame?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ConvertedVideo {
  webp: Uint8Array;
  poster: Uint8Array;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
}

export async function aviToAnimatedWebp(bytes: Uint8Array, o: ConvertOptions): Promise<ConvertedVideo> {
  const avi = parseAvi(bytes);
  const { width, height } = avi;
  if (avi.frames.length * width * height > MAX_CONVERT_PIXELS)
    throw new AviError(`${avi.frames.length} frames of ${width}×${height} is more than ${MAX_CONVERT_PIXELS / 1e6} M pixels to convert`);
  const stills: Uint8Array[] = [];
  let poster: Uint8Array | undefined;
  let total = 0;
  for (const [i, jpeg] of avi.frames.entries()) {
    o.signal?.throwIfAborted();
    const size = pictureDimensions(jpeg);
    if (!size || size.width !== width || size.height !== height)
      throw new AviError(`frame ${i + 1} is ${size ? `${size.width}×${size.height}` : "not a JPEG"}; the AVI says ${width}×${height}`);
    const rgba = await decodePicture(jpeg);
    if (i === 0) poster = encodePicturePng(rgba);
    const still = await encodeWebp(rgba.data, width, height, o.quality, o.method ?? 4);
    total += still.length;
    if (total > MAX_WEBP_BYTES) throw new AviError(`the animated WebP would be over ${MAX_WEBP_BYTES} bytes`);
    stills.push(still);
    o.onFrame?.(i + 1, avi.frames.length);
  }
  const webp = muxAnimatedWebp(stills, { width, height, fps: avi.fps, ...(o.json ? { json: o.json } : {}) });
  return { webp, poster: poster!, width, height, fps: avi.fps, frameCount: stills.length };
}
