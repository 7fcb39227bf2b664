/**
 * A1111's upscalers that need no model: "None", "Lanczos", "Nearest"
 * (modules/upscaler.py UpscalerNone / UpscalerLanczos / UpscalerNearest),
 * run in the launcher (upscale/resample.ts). Sizes follow A1111's
 * Upscaler.upscale: the target is ⌊w·scale / 8⌋·8 × ⌊h·scale / 8⌋·8, the
 * upscaler's own resize is followed by a Lanczos resize to that target when
 * they differ (so "None" inside Upscaler.upscale is a Lanczos resize; the
 * Extras tab skips "None" altogether, scripts/postprocessing_upscale.py).
 */
import { cropCentre, resizeLanczos, resizeNearest } from "../../upscale/resample";
import { decodePicture, encodePicturePng, MAX_DECODE_PIXELS, PictureError } from "../../pictures/pixels";
import type { Rgba } from "../../pictures/rgba";
import { A1111HttpError } from "./errors";

export const BUILTIN_UPSCALERS = ["None", "Lanczos", "Nearest"] as const;
export type BuiltinUpscaler = (typeof BUILTIN_UPSCALERS)[number];

/** Results larger than this per side are refused (as POST /api/upscale does). */
export const MAX_RESULT_SIDE = 8192;

export function builtinUpscaler(name: string | null | undefined): BuiltinUpscaler | null {
  return BUILTIN_UPSCALERS.find((u) => u.toLowerCase() === (name ?? "").trim().toLowerCase()) ?? null;
}

/** Upscaler.upscale's target: each side × scale, rounded down to a multiple of 8. */
export function upscaleTarget(width: number, height: number, scale: number): { width: number; height: number } {
  return { width: Math.floor((width * scale) / 8) * 8, height: Math.floor((height * scale) / 8) * 8 };
}

export async function readPicture(bytes: Uint8Array, field: string): Promise<Rgba> {
  try {
    return await decodePicture(bytes);
  } catch (err) {
    if (err instanceof PictureError) throw new A1111HttpError(400, `${field}: ${err.message}`);
    throw err;
  }
}

function checkTarget(t: { width: number; height: number }) {
  if (t.width < 8 || t.height < 8) throw new A1111HttpError(400, `the result would be ${t.width}×${t.height}: choose a larger scale`);
  if (t.width > MAX_RESULT_SIDE || t.height > MAX_RESULT_SIDE || t.width * t.height > 4 * MAX_DECODE_PIXELS)
    throw new A1111HttpError(400, `the result would be ${t.width}×${t.height}; at most ${MAX_RESULT_SIDE} pixels per side`);
}

/** Upscaler.upscale(img, scale) with a built-in upscaler. */
export async function upscaleBuiltin(src: Rgba, upscaler: BuiltinUpscaler, scale: number): Promise<Rgba> {
  const target = upscaleTarget(src.width, src.height, scale);
  checkTarget(target);
  if (upscaler === "None") return resizeLanczos(src, target.width, target.height);
  // UpscalerLanczos / UpscalerNearest resize to int(w·scale) × int(h·scale); Upscaler.upscale then resizes to the target with LANCZOS if it differs.
  const w = Math.trunc(src.width * scale);
  const h = Math.trunc(src.height * scale);
  const first = upscaler === "Nearest" ? resizeNearest(src, w, h) : await resizeLanczos(src, w, h);
  return resizeLanczos(first, target.width, target.height);
}

/**
 * The Extras upscale step (scripts/postprocessing_upscale.py): "None" leaves
 * the picture as it is; resize_mode 1 scales by the larger of the two ratios
 * to width×height and, with crop, cuts the centre out.
 */
export async function extrasUpscale(
  src: Rgba,
  upscaler: BuiltinUpscaler,
  mode: { by: number } | { width: number; height: number; crop: boolean },
): Promise<Rgba> {
  if (upscaler === "None") return src;
  if ("by" in mode) return upscaleBuiltin(src, upscaler, mode.by);
  const scale = Math.max(mode.width / src.width, mode.height / src.height);
  const out = await upscaleBuiltin(src, upscaler, scale);
  return mode.crop ? cropCentre(out, mode.width, mode.height) : out;
}

export { encodePicturePng };
