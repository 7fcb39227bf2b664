/**
 * PNG → JPEG / WebP in the launcher, for engine builds that only write PNG
 * (the engine is always asked for PNG, so every build behaves the same).
 * fast-png decodes; jpeg-js encodes JPEG (alpha flattened onto white),
 * libwebp in WebAssembly (webp-codec.ts) encodes WebP (alpha kept).
 */
import { convertIndexedToRgb, decode as decodePng } from "fast-png";
import { encode as encodeJpeg } from "jpeg-js";
import { encodeWebp } from "./webp-codec";

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/** 8-bit RGBA of any PNG (gray, palette, 16-bit); with `overWhite`, transparency is flattened. */
export function pngToRgba(png: Uint8Array, overWhite = false): Rgba {
  const img = decodePng(png);
  const { width, height } = img;
  const channels = img.palette ? (img.transparency ? 4 : 3) : img.channels;
  const src = img.palette ? convertIndexedToRgb(img) : img.data;
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
  return new Uint8Array(encodeJpeg({ width, height, data }, quality).data);
}

/** Our encoder failing (not the engine's image being bad). */
export class ImageEncodeError extends Error {
  override name = "ImageEncodeError";
}

export async function pngToWebp(png: Uint8Array, quality: number): Promise<Uint8Array> {
  const { width, height, data } = pngToRgba(png);
  try {
    return await encodeWebp(data, width, height, quality);
  } catch (err) {
    throw new ImageEncodeError(`could not encode the image as WebP: ${(err as Error).message}`);
  }
}
