/**
 * The bounds on what a picture may cost to read, in one place (issue 26):
 * - metadata: every inflate of a text chunk stops at MAX_METADATA_CHUNK_BYTES,
 *   and all of one picture's together at MAX_METADATA_BYTES. The limit is
 *   enforced inside the native inflate (zlib's maxOutputLength), so a 1 MB
 *   chunk that would inflate to 1 GB stops after a few MB, in milliseconds.
 * - pixels: a picture is decoded only when its header (PNG IHDR, JPEG SOF,
 *   WebP VP8/VP8L/VP8X) says at most MAX_PICTURE_PIXELS; the header is read
 *   before any pixel is, so decoding memory is bounded by the cap (RGBA at
 *   the cap: 256 MB) and a 16384² bomb costs nothing.
 * Both errors are ApiErrors with their code and status, so every route and
 * compatibility API answers them the same way.
 */
import { inflateRawSync, inflateSync } from "node:zlib";
import { ApiError } from "../core/server/errors";
import { base64Payload, sniffImage } from "../common/image-data";
import { jpegSize } from "./metadata/exif";
import { webpInfo } from "./metadata/webp";

const MB = 1024 * 1024;
/** One metadata chunk's inflated size at most (real infotext is a few KB; a ComfyUI workflow some 100 KB). */
export const MAX_METADATA_CHUNK_BYTES = 4 * MB;
/** All metadata chunks of one picture together, inflated, at most. */
export const MAX_METADATA_BYTES = 8 * MB;
/** The largest picture decoded: 8192×8192, the largest the app makes itself (upscale's MAX_UPSCALED_SIDE). */
export const MAX_PICTURE_SIDE = 8192;
export const MAX_PICTURE_PIXELS = MAX_PICTURE_SIDE * MAX_PICTURE_SIDE;

/** 422 `metadata_too_large`: a text chunk inflates past its limit. */
export class MetadataTooLargeError extends ApiError {
  override name = "MetadataTooLargeError";
  constructor(message: string) {
    super(422, "metadata_too_large", message);
  }
}

/** 422 `image_too_large`: more pixels than MAX_PICTURE_PIXELS (or pixel data larger than its header says). */
export class PictureTooLargeError extends ApiError {
  override name = "PictureTooLargeError";
  constructor(message: string) {
    super(422, "image_too_large", message);
  }
}

/** What is left of one picture's metadata allowance; pass the same one to every chunk of a picture. */
export interface InflateBudget {
  left: number;
}

export const metadataBudget = (): InflateBudget => ({ left: MAX_METADATA_BYTES });

const mb = (n: number) => `${Math.round(n / MB)} MB`;

/**
 * Inflates one metadata chunk (zlib, or raw deflate), stopping inside zlib as
 * soon as the output passes this chunk's limit or what is left of the picture's.
 */
export function inflateMetadata(data: Uint8Array, budget: InflateBudget = metadataBudget(), raw = false): Uint8Array {
  const cap = Math.min(MAX_METADATA_CHUNK_BYTES, budget.left);
  let out: Buffer;
  try {
    out = raw ? inflateRawSync(data, { maxOutputLength: Math.max(1, cap) }) : inflateSync(data, { maxOutputLength: Math.max(1, cap) });
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError)
      throw new MetadataTooLargeError(
        cap < MAX_METADATA_CHUNK_BYTES
          ? `the picture's metadata inflates to more than ${mb(MAX_METADATA_BYTES)} in all (the limit)`
          : `a metadata chunk inflates to more than ${mb(MAX_METADATA_CHUNK_BYTES)} (the limit per chunk)`,
      );
    throw err;
  }
  budget.left -= out.length;
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Width and height from the picture's header alone (no pixel is read); null when the header does not say. */
export function pictureDimensions(bytes: Uint8Array): { width: number; height: number } | null {
  const kind = sniffImage(bytes);
  try {
    if (kind === "png") {
      // IHDR is the first chunk: signature (8), length (4), "IHDR" (4), width, height.
      if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR") return null;
      const v = new DataView(bytes.buffer, bytes.byteOffset + 16, 8);
      return { width: v.getUint32(0), height: v.getUint32(4) };
    }
    if (kind === "jpeg") return jpegSize(bytes);
    if (kind === "webp") return webpInfo(bytes);
  } catch {
    return null;
  }
  return null;
}

/** Why this picture must not be decoded (too many pixels), or null. Reads the header only. */
export function pixelProblem(size: { width: number; height: number }): string | null {
  const pixels = size.width * size.height;
  if (pixels <= MAX_PICTURE_PIXELS) return null;
  const mp = (n: number) => `${Math.round(n / 1e6)} megapixels`;
  const most = `${mp(MAX_PICTURE_PIXELS)} (${MAX_PICTURE_SIDE}×${MAX_PICTURE_SIDE})`;
  return `the picture is ${size.width}×${size.height} (${mp(pixels)}); at most ${most} are decoded`;
}

/** Throws PictureTooLargeError when the header says too many pixels; returns the size (null when unknown). */
export function assertDecodable(bytes: Uint8Array): { width: number; height: number } | null {
  const size = pictureDimensions(bytes);
  const problem = size && pixelProblem(size);
  if (problem) throw new PictureTooLargeError(problem);
  return size;
}

/**
 * Inflates a PNG's joined IDAT data, stopping inside zlib at the size its
 * header allows (`expected` bytes): pixel data that inflates past what
 * IHDR promises is a bomb, not a picture.
 */
export function inflatePixels(idat: Uint8Array, expected: number): Uint8Array {
  try {
    const out = inflateSync(idat, { maxOutputLength: Math.max(1, expected) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError)
      throw new PictureTooLargeError(`the picture's pixel data inflates past the ${expected} bytes its header allows`);
    throw err;
  }
}

/** Base64 characters of a picture's first 64 KB. */
const HEAD_CHARS = 87_384; // 4 × ⌈65536 / 3⌉

/** The pictures a request carries, by field name (data URLs or base64). */
type PictureFields = {
  init_image?: string;
  mask?: string;
  control_image?: string;
  ref_images?: string[];
  upscale_of?: { image?: string };
  /** A video task's last frame and control frames (common/video-request.ts). */
  video?: { end_image?: string; control_frames?: string[] };
};

/**
 * Refuses a request whose pictures (img2img input, mask, control, references,
 * an upscale upload) are over the pixel limit, from their headers, before
 * the engine or sd-cli decodes them. Called by the queue for every submit.
 */
export function assertRequestPictures(r: PictureFields): void {
  const fields: [string, string | undefined][] = [
    ["init_image", r.init_image],
    ["mask", r.mask],
    ["control_image", r.control_image],
    ["upscale_of.image", r.upscale_of?.image],
  ];
  (r.ref_images ?? []).forEach((v, i) => fields.push([`ref_images.${i}`, v]));
  fields.push(["end_image", r.video?.end_image]);
  (r.video?.control_frames ?? []).forEach((v, i) => fields.push([`control_frames.${i}`, v]));
  for (const [name, value] of fields) {
    const payload = value ? base64Payload(value) : null;
    if (!payload) continue; // the request schema already says what is wrong with it
    // The header is enough: the first 64 KB (a JPEG's SOF may come after large EXIF/ICC segments: then all of it).
    let bytes: Uint8Array = Buffer.from(payload.slice(0, HEAD_CHARS), "base64");
    if (!pictureDimensions(bytes) && payload.length > HEAD_CHARS) bytes = Buffer.from(payload, "base64");
    try {
      assertDecodable(bytes);
    } catch (err) {
      if (err instanceof PictureTooLargeError) throw new PictureTooLargeError(`${name}: ${err.message}`);
      throw err;
    }
  }
}
