/**
 * PNG → JPEG / WebP in the launcher, for engine builds that only write PNG
 * (the engine is always asked for PNG, so every build behaves the same).
 * fast-png decodes; jpeg-js encodes JPEG (alpha flattened onto white),
 * libwebp in WebAssembly (webp-encode.ts) encodes WebP (alpha kept).
 */
import { fastPng, jpegJs } from "./codecs";
import { readChunks, writeChunks } from "./metadata/png";
import { assertDecodable, inflatePixels, pixelProblem, PictureTooLargeError } from "./limits";
import type { Rgba } from "./rgba";
import { encodeWebp } from "./webp-encode";
import { NamedError } from "../core/server/errors";

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** The chunks fast-png needs for pixels; the others (iCCP, which it would inflate unbounded, text) are left out. */
const PIXEL_CHUNKS = new Set(["IHDR", "PLTE", "tRNS", "IDAT", "IEND"]);

/** Bytes of filtered scanlines a PNG of this header inflates to (Adam7: its seven passes). */
export function pngRawSize(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number) => (w && h ? h * (1 + Math.ceil((w * bitsPerPixel) / 8)) : 0);
  if (!interlaced) return rows(width, height);
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;
  return passes.reduce((n, [x0, y0, dx, dy]) => n + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)), 0);
}

/**
 * The PNG as fast-png may decode it: the pixel count checked from IHDR, the
 * pixel data inflated once natively no further than IHDR allows (fast-png's
 * own inflate has no limit), and only the chunks pixels need.
 */
export function decodablePng(png: Uint8Array): Uint8Array {
  assertDecodable(png);
  const chunks = readChunks(png).filter((c) => PIXEL_CHUNKS.has(c.type));
  const ihdr = chunks.find((c) => c.type === "IHDR")?.data;
  if (!ihdr || ihdr.length < 13) return png; // fast-png says what is wrong
  const v = new DataView(ihdr.buffer, ihdr.byteOffset, 13);
  // The IHDR fast-png will use (not necessarily the first chunk of a malformed file) is the one that must pass.
  const problem = pixelProblem({ width: v.getUint32(0), height: v.getUint32(4) });
  if (problem) throw new PictureTooLargeError(problem);
  const bits = ihdr[8]! * (CHANNELS[ihdr[9]!] ?? 4);
  const idat = chunks.filter((c) => c.type === "IDAT").map((c) => c.data);
  const joined = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  idat.reduce((at, d) => (joined.set(d, at), at + d.length), 0);
  inflatePixels(joined, pngRawSize(v.getUint32(0), v.getUint32(4), bits, ihdr[12] === 1));
  return writeChunks(chunks);
}

/** 8-bit RGBA of any PNG (gray, palette, 16-bit); with `overWhite`, transparency is flattened. PictureTooLargeError over the pixel limits. */
export function pngToRgba(png: Uint8Array, overWhite = false): Rgba {
  const img = fastPng().decode(decodablePng(png));
  const { width, height } = img;
  const channels = img.palette ? (img.transparency ? 4 : 3) : img.channels;
  const src = img.palette ? fastPng().convertIndexedToRgb(img) : img.data;
  const shift = img.depth === 16 ? 8 : 0;
  const hasAlpha = channels === 2 || channels === 4;
  const data = new Uint8Array(width * height * 4);
  for (let p = 0, s = 0; p < data.length; p += 4, s += channels) {
    const gray = channels <= 2;
    const r = src[s]! >> shift;
    const g = gray ? r : src[s + 1]! >> shift;
    const b = gray ? r : src[s + 2]! >> shift;
    const a = hasAlpha ? src[s + channels - 1]! >> shift : 255;
    if (overWhite) {
      // Transparent pixels over white, as image viewers show them.
      data[p] = (r * a + 255 * (255 - a)) / 255;
      data[p + 1] = (g * a + 255 * (255 - a)) / 255;
      data[p + 2] = (b * a + 255 * (255 - a)) / 255;
      data[p + 3] = 255;
    } else {
      data[p] = r;
      data[p + 1] = g;
      data[p + 2] = b;
      data[p + 3] = a;
    }
  }
  return { width, height, data };
}

export function pngToJpeg(png: Uint8Array, quality: number): Uint8Array {
  const { width, height, data } = pngToRgba(png, true);
  return new Uint8Array(jpegJs().encode({ width, height, data }, quality).data);
}

/** Our encoder failing (not the engine's image being bad). */
export class ImageEncodeError extends NamedError {
  override name = "ImageEncodeError";
  override readonly code = "image_encode_failed";
  override readonly status = 500;
}

export async function pngToWebp(png: Uint8Array, quality: number): Promise<Uint8Array> {
  const { width, height, data } = pngToRgba(png);
  try {
    return await encodeWebp(data, width, height, quality);
  } catch (err) {
    throw new ImageEncodeError(`could not encode the image as WebP: ${(err as Error).message}`);
  }
}
