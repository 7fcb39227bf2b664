/**
 * WebP encoding in the launcher with libwebp compiled to WebAssembly
 * (@jsquash/webp, the Squoosh codecs), for engine builds that only write PNG.
 * The .wasm files are imported as files so `bun build --compile` embeds them
 * (the package's own loader fetches them next to its script, which a compiled
 * executable does not have). Compiled once, on first use: the SIMD build
 * where the runtime validates it, else the plain one.
 */
// @ts-expect-error: Bun resolves `type: "file"` imports to a path; TypeScript cannot type them.
import simdWasmPath from "@jsquash/webp/codec/enc/webp_enc_simd.wasm" with { type: "file" };
// @ts-expect-error: as above.
import plainWasmPath from "@jsquash/webp/codec/enc/webp_enc.wasm" with { type: "file" };
import type { WebPModule } from "@jsquash/webp/codec/enc/webp_enc";
import { defaultOptions } from "@jsquash/webp/meta.js";
import { initEmscriptenModule } from "@jsquash/webp/utils.js";

let encoder: Promise<WebPModule> | undefined;

async function load(): Promise<WebPModule> {
  const simd = new Uint8Array(await Bun.file(simdWasmPath as string).arrayBuffer());
  if (WebAssembly.validate(simd)) {
    const factory = (await import("@jsquash/webp/codec/enc/webp_enc_simd.js")).default;
    return initEmscriptenModule(factory, new WebAssembly.Module(simd)) as Promise<WebPModule>;
  }
  const factory = (await import("@jsquash/webp/codec/enc/webp_enc.js")).default;
  const plain = new WebAssembly.Module(await Bun.file(plainWasmPath as string).arrayBuffer());
  return initEmscriptenModule(factory, plain) as Promise<WebPModule>;
}

/** Lossy WebP of RGBA pixels at this quality (1–100); `method` 0 (fastest) … 6 (smallest), libwebp's default 4. */
export async function encodeWebp(rgba: Uint8Array, width: number, height: number, quality: number, method = defaultOptions.method): Promise<Uint8Array> {
  encoder ??= load();
  encoder.catch(() => (encoder = undefined)); // a failed load is tried again next time
  const module = await encoder;
  const pixels = new Uint8ClampedArray(rgba.buffer as ArrayBuffer, rgba.byteOffset, rgba.byteLength);
  const out = module.encode(pixels, width, height, { ...defaultOptions, quality, method });
  if (!out) throw new Error("WebP encoding failed");
  return new Uint8Array(out);
}
