/**
 * The thumbnailer's PNG fast path decodes every PNG filter type exactly, and
 * hands any other kind of PNG (16-bit, grey, palette, interlaced) back to
 * fast-png.
 */
import { expect, test } from "bun:test";
import { deflateSync } from "node:zlib";
import { encode as encodePng } from "fast-png";
import { decodeCommonPng } from "../../pictures/png-fast";
import { writeChunks } from "../../pictures/metadata/png";
import { pngToRgba } from "../../pictures/convert";

function paeth(a: number, b: number, c: number) {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** A PNG whose row y uses filter y % 5 (None, Sub, Up, Average, Paeth), written by hand. */
function filteredPng(width: number, height: number, channels: 3 | 4, pixels: Uint8Array): Uint8Array {
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    raw[y * (stride + 1)] = filter;
    for (let i = 0; i < stride; i++) {
      const x = pixels[y * stride + i]!;
      const a = i >= channels ? pixels[y * stride + i - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
      const c = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels]! : 0;
      const predicted = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter]!;
      raw[y * (stride + 1) + 1 + i] = (x - predicted) & 255;
    }
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, channels === 4 ? 6 : 2, 0, 0, 0], 8);
  return writeChunks([
    { type: "IHDR", data: ihdr },
    { type: "IDAT", data: new Uint8Array(deflateSync(raw)) },
    { type: "IEND", data: new Uint8Array() },
  ]);
}

function noise(n: number, seed = 1) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

test("every filter type, RGB and RGBA, decodes to the exact pixels", () => {
  for (const channels of [3, 4] as const) {
    const [w, h] = [37, 23];
    const pixels = noise(w * h * channels, channels);
    const png = filteredPng(w, h, channels, pixels);
    const decoded = decodeCommonPng(png)!;
    expect([decoded.width, decoded.height]).toEqual([w, h]);
    expect(Buffer.from(decoded.data).equals(Buffer.from(pngToRgba(png).data))).toBe(true);
    for (let p = 0; p < w * h; p++) {
      for (let c = 0; c < channels; c++) expect(decoded.data[p * 4 + c]).toBe(pixels[p * channels + c]!);
      if (channels === 3) expect(decoded.data[p * 4 + 3]).toBe(255);
    }
  }
});

test("other kinds of PNG are left to fast-png", () => {
  expect(decodeCommonPng(encodePng({ width: 4, height: 4, data: new Uint16Array(48), channels: 3, depth: 16 }))).toBeNull();
  expect(decodeCommonPng(encodePng({ width: 4, height: 4, data: new Uint8Array(16), channels: 1 }))).toBeNull();
});
