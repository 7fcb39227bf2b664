/**
 * WebP decoding with libwebp in WebAssembly (@jsquash/webp's decoder), for
 * thumbnails of WebP pictures. As in queue/webp-codec.ts, the .wasm is
 * imported as a file so `bun build --compile` embeds it; compiled once.
 */
// @ts-expect-error: Bun resolves `type: "file"` imports to a path; TypeScript cannot type them.
import decoderWasmPath from "@jsquash/webp/codec/dec/webp_dec.wasm" with { type: "file" };
import type { WebPModule } from "@jsquash/webp/codec/dec/webp_dec";
import { initEmscriptenModule } from "@jsquash/webp/utils.js";

let decoder: Promise<WebPModule> | undefined;

async function load(): Promise<WebPModule> {
  const factory = (await import("@jsquash/webp/codec/dec/webp_dec.js")).default;
  const wasm = new WebAssembly.Module(await Bun.file(decoderWasmPath as string).arrayBuffer());
  return initEmscriptenModule(factory, wasm) as Promise<WebPModule>;
}

/** RGBA pixels of a WebP image. */
export async function decodeWebp(bytes: Uint8Array): Promise<{ width: number; height: number; data: Uint8Array }> {
  decoder ??= load();
  decoder.catch(() => (decoder = undefined));
  const module = await decoder;
  const image = module.decode(bytes as Uint8Array<ArrayBuffer>);
  if (!image) throw new Error("WebP decoding failed");
  return { width: image.width, height: image.height, data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength) };
}
