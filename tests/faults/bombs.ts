/**
 * Picture bombs, made at run time (nothing large is committed): a small PNG
 * whose zTXt chunk inflates to 1 GB, and a 16384² PNG of ~780 KB whose pixel
 * data inflates to 805 MB (3 GB as RGBA). Deflated with zlib's RLE strategy
 * from a 16 MB zero buffer written over and over, so making one takes a
 * quarter of a second and no large allocation.
 */
import { constants, createDeflate } from "node:zlib";
import { encode } from "fast-png";
import { readChunks, writeChunks, type PngChunk } from "../../pictures/metadata/png";

const MB = 1024 * 1024;

/** zlib data that inflates to `total` zero bytes. */
export async function deflateZeros(total: number): Promise<Uint8Array> {
  const d = createDeflate({ level: 9, memLevel: 9, strategy: constants.Z_RLE });
  const parts: Buffer[] = [];
  d.on("data", (c: Buffer) => parts.push(c));
  const ended = new Promise((resolve) => d.on("end", resolve));
  const chunk = Buffer.alloc(16 * MB);
  for (let left = total; left > 0; left -= chunk.length) {
    if (!d.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await new Promise((resolve) => d.once("drain", resolve));
  }
  d.end();
  await ended;
  return new Uint8Array(Buffer.concat(parts));
}

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function withChunk(png: Uint8Array, chunk: PngChunk): Uint8Array {
  const chunks = readChunks(png);
  return writeChunks([chunks[0]!, chunk, ...chunks.slice(1)]);
}

/** An 8×8 PNG with a `parameters` zTXt chunk that inflates to `inflated` bytes (default 1 GB). */
export async function ztxtBomb(inflated = 1024 * MB): Promise<Uint8Array> {
  const small = encode({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 3).fill(128), channels: 3 });
  const text = await deflateZeros(inflated);
  const head = latin1("parameters\0\0"); // keyword, NUL, compression method 0
  const data = new Uint8Array(head.length + text.length);
  data.set(head);
  data.set(text, head.length);
  return withChunk(small, { type: "zTXt", data });
}

/** The same bomb in an iTXt chunk (compressed UTF-8 text). */
export async function itxtBomb(inflated = 1024 * MB): Promise<Uint8Array> {
  const small = encode({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 3).fill(128), channels: 3 });
  const text = await deflateZeros(inflated);
  const head = latin1("parameters\0\x01\0\0\0"); // keyword, NUL, compressed, method 0, no language, no translation
  const data = new Uint8Array(head.length + text.length);
  data.set(head);
  data.set(text, head.length);
  return withChunk(small, { type: "iTXt", data });
}

/** A `side`×`side` 8-bit RGB PNG (default 16384²: ~780 KB) of black pixels: a valid picture, 805 MB inflated. */
export async function pixelBomb(side = 16384): Promise<Uint8Array> {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, side);
  v.setUint32(4, side);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const idat = await deflateZeros(side * (1 + side * 3));
  return writeChunks([
    { type: "IHDR", data: ihdr },
    { type: "IDAT", data: idat },
    { type: "IEND", data: new Uint8Array(0) },
  ]);
}

/** A 1×1 PNG whose pixel data inflates to `inflated` bytes (an IDAT bomb under the pixel limit). */
export async function idatBomb(inflated = 256 * MB): Promise<Uint8Array> {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, 1);
  v.setUint32(4, 1);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return writeChunks([
    { type: "IHDR", data: ihdr },
    { type: "IDAT", data: await deflateZeros(inflated) },
    { type: "IEND", data: new Uint8Array(0) },
  ]);
}

export const dataUrl = (bytes: Uint8Array) => `data:image/png;base64,${Buffer.from(bytes).toString("base64")}`;
