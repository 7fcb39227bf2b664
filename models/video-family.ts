/**
 * Which video family a model file is (common/video-families.ts), from its tensor names, as upstream's loader
 * tells them at 97d2990: the SDVersion from get_sd_version (sd-version.ts: WAN2, WAN2_2_I2V, WAN2_2_TI2V,
 * LTXAV, HUNYUAN_VIDEO, LINGBOT_VIDEO), a WAN2 refined as src/model/diffusion/wan.hpp WanRunner does
 * (WanConfig::detect_from_weights: `vace_blocks.N` → VACE, `img_emb` → I2V, `img_emb.emb_pos` → FLF2V),
 * and an AnimateDiff motion module by the names src/model/diffusion/unet.hpp looks for
 * (`…motion_modules.N.temporal_transformer.…`). A 40-block WAN2 text-to-video model is upstream's
 * "Wan2.x-T2V-14B": Wan 2.1 T2V 14B or Wan 2.2 A14B's low-noise half (the same tensors); the request's
 * high-noise model tells them apart (video/check.ts). Pure.
 */
import type { VideoFamilyId } from "../common/video-families";
import type { TensorInfo } from "./headers/tensor";

const FROM_VERSION: Record<string, VideoFamilyId> = {
  WAN2_2_TI2V: "wan2.2-ti2v-5b",
  WAN2_2_I2V: "wan2.2-i2v-a14b",
  LTXAV: "ltx2",
  HUNYUAN_VIDEO: "hunyuan-video-1.5",
  LINGBOT_VIDEO: "lingbot",
};

/** The video family of a diffusion model or checkpoint whose SDVersion is `version` (names as in the file). */
export function videoFamilyOf(tensors: TensorInfo[], version: string | null): VideoFamilyId | null {
  if (!version) return null;
  if (FROM_VERSION[version]) return FROM_VERSION[version];
  if (version !== "WAN2") return null;
  let vace = false;
  let i2v = false;
  let flf = false;
  for (const { name } of tensors) {
    if (name.includes("vace_blocks.")) vace = true;
    else if (name.includes("img_emb.emb_pos")) (flf = true), (i2v = true);
    else if (name.includes("img_emb")) i2v = true;
  }
  if (vace) return "wan2.1-vace";
  if (i2v) return flf ? "wan2.1-flf2v" : "wan2.1-i2v";
  return "wan2.1-t2v";
}

/** An AnimateDiff motion module (the names unet.hpp checks, with or without its "motion_module." prefix). */
export function isMotionModule(names: string[]): boolean {
  return names.some((n) => /(^|\.)(down_blocks|up_blocks|mid_block)\.(\d+\.)?motion_modules\.\d+\.temporal_transformer\./.test(n));
}
