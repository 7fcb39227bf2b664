/**
 * `bun run bench:encode`: what a JPEG or WebP output costs the launcher (the
 * engine always writes PNG; pictures/convert.ts re-encodes it). A 512x512 noisy
 * gradient, PNG → JPEG (jpeg-js) as the baseline and PNG → WebP (libwebp in
 * WebAssembly), quality 90, in one run. Prints figures; asserts nothing.
 */
import { encode as encodePng } from "fast-png";
import { pngToJpeg, pngToWebp } from "../pictures/convert";

const SIZE = 512;
const RUNS = 10;

function testPng(): Uint8Array {
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  let seed = 1;
  const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 27); // 0..31
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) rgb.set([(x + noise()) & 255, (y + noise()) & 255, ((x ^ y) + noise()) & 255], (y * SIZE + x) * 3);
  return encodePng({ width: SIZE, height: SIZE, data: rgb, channels: 3 });
}

async function timeIt(f: () => unknown): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < RUNS; i++) await f();
  return (performance.now() - t0) / RUNS;
}

const png = testPng();
const t0 = performance.now();
await pngToWebp(png, 90);
const firstWebp = performance.now() - t0;
const jpeg = await timeIt(() => pngToJpeg(png, 90));
const webp = await timeIt(() => pngToWebp(png, 90));
const jpegBytes = pngToJpeg(png, 90).length;
const webpBytes = (await pngToWebp(png, 90)).length;
console.log(`${SIZE}x${SIZE}, quality 90, mean of ${RUNS}; PNG ${(png.length / 1024).toFixed(0)} KB`);
console.log(`PNG → JPEG  ${jpeg.toFixed(1)} ms  ${(jpegBytes / 1024).toFixed(0)} KB  (baseline)`);
console.log(
  `PNG → WebP  ${webp.toFixed(1)} ms  ${(webpBytes / 1024).toFixed(0)} KB  ` +
    `(${(webp / jpeg).toFixed(2)}x the JPEG time, ${(webpBytes / jpegBytes).toFixed(2)}x its size)`,
);
console.log(`first WebP (compiles the encoder) ${firstWebp.toFixed(0)} ms`);
