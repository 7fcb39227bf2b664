/**
 * WebP decoding in the launcher with libwebp compiled to WebAssembly
 * (@jsquash/webp, as webp-encode.ts encodes): for steps that hand a picture to
 * an engine program that may not read WebP (the upscaler). The .wasm file is
 * imported as a file so `bun build --compile` embeds it; compiled on first use.
 */
// @ts-expect-error: Bun resolves `type: "file"` imports to a path; TypeScript cannot type them.
import decWasmPath from "@jsquash/webp/codec/dec/webp_dec.wasm" with { type: "file" };
import type { WebPModule } from "@jsquash/webp/codec/dec/webp_dec";
import { initEmscriptenModule } from "@jsquash/webp/utils.js";
import { NamedError } from "../core/server/errors";

let decoder: Promise<WebPModule> | undefined;

async function load(): Promise<WebPModule> {
  const factory = (await import("@jsquash/webp/codec/dec/webp_dec.js")).default;
  return initEmscriptenModule(factory, new WebAssembly.Module(await Bun.file(decWasmPath as string).arrayBuffer())) as Promise<WebPModule>;
}

export class WebpDecodeError extends NamedError {
  override name = "WebpDecodeError";
  override readonly code = "unreadable_image";
  override readonly status = 400;
}

/** RGBA pixels of a WebP picture. */
export async function decodeWebp(bytes: Uint8Array): Promise<{ data: Uint8Array; width: number; height: number }> {
  decoder ??= load();
  decoder.catch(() => (decoder = undefined)); // a failed load is tried again next time
  const image = (await decoder).decode(bytes as Uint8Array<ArrayBuffer>);
  if (!image) throw new WebpDecodeError("the WebP picture could not be decoded");
  return { data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength), width: image.width, height: image.height };
}
