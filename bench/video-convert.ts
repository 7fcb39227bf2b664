/**
 * `bun run bench:video-convert`: what turning an engine's MJPG AVI (a build without WebP/WebM) into an
 * animated WebP costs the launcher (video/convert.ts: jpeg-js decode + libwebp wasm encode + mux), for
 * the frame counts and sizes the Video tab offers. The AVI is written by the stand-in's writer, laid
 * out as upstream's media_io.cpp writes it (JPEG quality 90), from moving noisy gradients. Baseline:
 * decoding the same JPEGs alone. Prints figures; asserts nothing. `BENCH_VIDEO` = "WxHxF,…".
 */
import { decodePicture } from "../pictures/pixels";
import { parseAvi } from "../video/avi";
import { aviToAnimatedWebp } from "../video/convert";
import { mjpgAvi } from "../tests/standin/video-run";

const CASES = (process.env.BENCH_VIDEO ?? "64x64x5,64x64x17,480x272x33,832x480x33")
  .split(",")
  .map((c) => c.split("x").map(Number) as [number, number, number]);

function frames(w: number, h: number, n: number): Uint8Array[] {
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 27);
  return Array.from({ length: n }, (_, f) => {
    const rgb = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) rgb.set([(x + f * 3 + noise()) & 255, (y + noise()) & 255, ((x ^ y) + f + noise()) & 255], (y * w + x) * 3);
    return rgb;
  });
}

await aviToAnimatedWebp(mjpgAvi(frames(16, 16, 1), 16, 16, 16, 90), { quality: 85 }); // compiles the encoder once
console.log("WxHxF        AVI KB   decode ms  convert ms  ms/frame  WebP KB  (quality 85, method 4)");
for (const [w, h, n] of CASES) {
  const avi = mjpgAvi(frames(w, h, n), w, h, 16, 90);
  const t0 = performance.now();
  for (const jpeg of parseAvi(avi).frames) await decodePicture(jpeg);
  const decode = performance.now() - t0;
  const t1 = performance.now();
  const out = await aviToAnimatedWebp(avi, { quality: 85 });
  const convert = performance.now() - t1;
  const row = [`${w}x${h}x${n}`.padEnd(12), (avi.length / 1024).toFixed(0).padStart(7), decode.toFixed(0).padStart(11), convert.toFixed(0).padStart(11),
    (convert / n).toFixed(1).padStart(9), (out.webp.length / 1024).toFixed(0).padStart(8)];
  console.log(row.join(" "));
}
