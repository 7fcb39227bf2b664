/**
 * The stand-in's PNG: RGB, 8 bit, one IDAT (node:zlib), `tEXt` chunks written
 * with the queue's chunk writer; and the deterministic "image" it renders, a
 * gradient whose colours come from the seed, so equal seeds give equal bytes.
 */
import { deflateSync } from "node:zlib";
import { writeChunks } from "../../pictures/metadata/png";

export { readPngText } from "../../pictures/metadata/png";

export function encodePng(width: number, height: number, rgb: Uint8Array, text: Record<string, string> = {}): Uint8Array {
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = new Uint8Array((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  return writeChunks([
    { type: "IHDR", data: header },
    // sd.cpp writes its std::string (UTF-8) into tEXt as is, whatever the PNG spec says about Latin-1.
    ...Object.entries(text).map(([k, v]) => ({ type: "tEXt", data: new TextEncoder().encode(`${k}\0${v}`) })),
    { type: "IDAT", data: deflateSync(raw) },
    { type: "IEND", data: new Uint8Array() },
  ]);
}

/** Small 32-bit PRNG so colours depend only on the seed. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function renderGradient(width: number, height: number, seed: number): Uint8Array {
  const rand = mulberry32(seed);
  const from = [rand() * 255, rand() * 255, rand() * 255];
  const to = [rand() * 255, rand() * 255, rand() * 255];
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x + y) / Math.max(1, width + height - 2);
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) rgb[i + c] = Math.round(from[c]! + (to[c]! - from[c]!) * t);
    }
  }
  return rgb;
}
