/**
 * Resizing RGBA pixels in the launcher, for the upscalers that need no model
 * (A1111's "Lanczos" and "Nearest", modules/upscaler.py UpscalerLanczos /
 * UpscalerNearest, which call PIL's Image.resize with LANCZOS / NEAREST):
 * - Lanczos: pica's `lanczos3` filter (the Lanczos kernel with a = 3, its
 *   support widened by the ratio when shrinking, as PIL does), pure JS;
 * - Nearest: PIL's NEAREST rule, written out: output pixel x takes source
 *   pixel ⌊(x + 0.5) · srcW / dstW⌋ (likewise for y).
 */
import type { Pica, ResizeBufferOptions } from "pica";
import type { Rgba } from "../pictures/rgba";

// JS only: no workers, no WebAssembly to embed in the compiled executable. Loaded on the first Lanczos resize.
let resizer: Pica | undefined;

export async function resizeLanczos(src: Rgba, width: number, height: number): Promise<Rgba> {
  if (width === src.width && height === src.height) return src;
  resizer ??= (await import("pica")).default({ features: ["js"] });
  const options: ResizeBufferOptions = { src: src.data, width: src.width, height: src.height, toWidth: width, toHeight: height, filter: "lanczos3" };
  const data = await resizer.resizeBuffer(options);
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export function resizeNearest(src: Rgba, width: number, height: number): Rgba {
  if (width === src.width && height === src.height) return src;
  const out = new Uint8Array(width * height * 4);
  const columns = new Uint32Array(width);
  for (let x = 0; x < width; x++) columns[x] = Math.min(src.width - 1, Math.floor(((x + 0.5) * src.width) / width));
  for (let y = 0; y < height; y++) {
    const sy = Math.min(src.height - 1, Math.floor(((y + 0.5) * src.height) / height));
    const row = sy * src.width;
    for (let x = 0; x < width; x++) {
      const s = (row + columns[x]!) * 4;
      const d = (y * width + x) * 4;
      out[d] = src.data[s]!;
      out[d + 1] = src.data[s + 1]!;
      out[d + 2] = src.data[s + 2]!;
      out[d + 3] = src.data[s + 3]!;
    }
  }
  return { width, height, data: out };
}

/** The centre `width`×`height` of a picture at least that large (A1111's "crop to fit" after resizing). */
export function cropCentre(src: Rgba, width: number, height: number): Rgba {
  if (width >= src.width && height >= src.height) return src;
  const w = Math.min(width, src.width);
  const h = Math.min(height, src.height);
  const x0 = Math.floor((src.width - w) / 2);
  const y0 = Math.floor((src.height - h) / 2);
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) out.set(src.data.subarray(((y0 + y) * src.width + x0) * 4, ((y0 + y) * src.width + x0 + w) * 4), y * w * 4);
  return { width: w, height: h, data: out };
}
