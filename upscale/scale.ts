/**
 * How an ESRGAN model upscales, and how to reach the asked factor with it.
 * `esrganScale` mirrors sd.cpp's ESRGANConfig::detect_from_weights
 * (src/model/upscaler/esrgan.hpp): `conv_up2.weight` → 4, `conv_up1.weight` → 2,
 * other ESRGAN tensors (`body.N.…`, `conv_first/conv_hr/conv_last.weight`) → 1.
 * Names it does not know (old-style `model.N.…` checkpoints, which sd.cpp
 * renames while loading) give null: the scale is then learnt from a first pass.
 * Pure functions: the callers read headers and run processes.
 */
import { NamedError } from "../core/server/errors";

export type UpscaleFactor = 2 | 4;
export type ModelScale = 1 | 2 | 4;

export function esrganScale(tensorNames: Iterable<string>): ModelScale | null {
  const names = new Set(tensorNames);
  if (names.has("conv_up2.weight")) return 4;
  if (names.has("conv_up1.weight")) return 2;
  for (const n of names) if (/^body\.\d+\./.test(n)) return 1;
  if (names.has("conv_first.weight") || names.has("conv_hr.weight") || names.has("conv_last.weight")) return 1;
  return null;
}

/** The model only keeps the size (×1): it cannot enlarge a picture. */
export class UpscalerScaleError extends NamedError {
  override name = "UpscalerScaleError";
  override readonly code = "upscaler_failed";
  override readonly status = 400;
}

/**
 * sd-cli passes (`--upscale-repeats`) and a final halving that give `factor`
 * with a model of `scale`: ×4 with an x2 model is two passes; ×2 with an x4
 * model is one pass, then the picture is halved (box filter); equal → one pass.
 */
export function upscalePlan(factor: UpscaleFactor, scale: ModelScale): { repeats: number; halve: boolean } {
  if (scale === 1) throw new UpscalerScaleError("this model keeps the picture's size (a ×1 ESRGAN model); choose a ×2 or ×4 upscaler");
  if (scale === factor) return { repeats: 1, halve: false };
  if (scale === 2) return { repeats: 2, halve: false };
  return { repeats: 1, halve: true };
}
