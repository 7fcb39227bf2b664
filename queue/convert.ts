/**
 * PNG → JPEG in the launcher, for engine builds that only write PNG (the
 * engine always gets asked for PNG when the user wants JPEG, so every build
 * behaves the same). fast-png decodes, jpeg-js encodes; alpha is flattened
 * onto white.
 */
import { convertIndexedToRgb, decode as decodePng } from "fast-png";
import { encode as encodeJpeg } from "jpeg-js";

export function pngToJpeg(png: Uint8Array, quality: number): Uint8Array {
  const img = decodePng(png);
  const { width, height } = img;
  const channels = img.palette ? (img.transparency ? 4 : 3) : img.channels;
  const src = img.palette ? convertIndexedToRgb(img) : img.data;
  const shift = img.depth === 16 ? 8 : 0;
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0, s = 0; p < rgba.length; p += 4, s += channels) {
    const gray = channels <= 2;
    const r = src[s]! >> shift;
    const g = gray ? r : src[s + 1]! >> shift;
    const b = gray ? r : src[s + 2]! >> shift;
    const a = channels === 2 || channels === 4 ? src[s + channels - 1]! >> shift : 255;
    // Transparent pixels over white, as image viewers show them.
    rgba[p] = (r * a + 255 * (255 - a)) / 255;
    rgba[p + 1] = (g * a + 255 * (255 - a)) / 255;
    rgba[p + 2] = (b * a + 255 * (255 - a)) / 255;
    rgba[p + 3] = 255;
  }
  return new Uint8Array(encodeJpeg({ width, height, data: rgba }, quality).data);
}
