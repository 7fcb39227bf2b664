/**
 * Video model files for tests: tiny sparse safetensors with the tensor names
 * and shapes upstream's loader reads (src/model_loader.cpp get_sd_version,
 * src/model/diffusion/wan.hpp WanConfig::detect_from_weights, src/model/diffusion/unet.hpp
 * for AnimateDiff motion modules, at 97d2990). Diffusion models are written
 * without the "model.diffusion_model." prefix, as standalone files are.
 */
import { join } from "node:path";
import { writeSafetensors, TELLTALES, type T } from "../models/fixtures";

/** Wan blocks 0..n-1 (num_layers = the highest block index + 1). */
const blocks = (n: number, dim: number): T[] =>
  Array.from({ length: n }, (_, i) => ({ name: `blocks.${i}.cross_attn.norm_k.weight`, shape: [dim] }));

export const VIDEO_TELLTALES: Record<string, T[]> = {
  // Wan2.1 T2V 1.3B: 30 blocks, dim 1536, patch_embedding in_dim 16.
  "wan2.1-t2v-1.3b": [...blocks(30, 1536), { name: "patch_embedding.weight", shape: [1536, 16, 1, 2, 2] }],
  "wan2.1-vace-1.3b": [...blocks(30, 1536), { name: "vace_blocks.0.after_proj.weight", shape: [1536, 1536] }, { name: "patch_embedding.weight", shape: [1536, 16, 1, 2, 2] }],
  "wan2.1-i2v-14b": [...blocks(40, 5120), { name: "img_emb.proj.0.weight", shape: [1280] }, { name: "patch_embedding.weight", shape: [5120, 36, 1, 2, 2] }],
  "wan2.1-flf2v-14b": [
    ...blocks(40, 5120),
    { name: "img_emb.proj.0.weight", shape: [1280] },
    { name: "img_emb.emb_pos", shape: [1, 514, 1280] },
    { name: "patch_embedding.weight", shape: [5120, 36, 1, 2, 2] },
  ],
  // Wan2.2 TI2V 5B: patch_embedding 3072 × 48 × 1×2×2 = 147456 elements per in-channel row (get_sd_version's ne[3]).
  "wan2.2-ti2v-5b": [...blocks(30, 3072), { name: "patch_embedding.weight", shape: [3072, 48, 1, 2, 2] }],
  "wan2.2-i2v-a14b": [...blocks(40, 5120), { name: "patch_embedding.weight", shape: [5120, 36, 1, 2, 2] }],
  "wan2.x-t2v-14b": [...blocks(40, 5120), { name: "patch_embedding.weight", shape: [5120, 16, 1, 2, 2] }],
  ltx2: [{ name: "adaln_single.emb.timestep_embedder.linear_1.bias", shape: [4096] }],
  hunyuan: [{ name: "txt_in.individual_token_refiner.blocks.0.adaLN_modulation.1.weight", shape: [6144, 3072] }],
  lingbot: [{ name: "patch_embedder.weight", shape: [1536, 64] }],
  motion_module: [
    { name: "down_blocks.0.motion_modules.0.temporal_transformer.proj_in.weight", shape: [320, 320] },
    { name: "up_blocks.3.motion_modules.2.temporal_transformer.proj_in.weight", shape: [320, 320] },
  ],
  wan_vae: [{ name: "decoder.head.0.gamma", shape: [96] }, { name: "decoder.conv1.weight", shape: [384, 16, 3, 3, 3] }],
  umt5: [
    { name: "encoder.block.0.layer.0.SelfAttention.q.weight", shape: [4096, 4096] },
    { name: "shared.weight", shape: [256384, 4096] },
  ],
};

/** A models folder with a Wan2.1 T2V 1.3B set (model, VAE, umt5), clip_vision_h, and an SD 1.5 checkpoint with a motion module. */
export function videoModels(root: string): { models: string } {
  const models = join(root, "models");
  writeSafetensors(join(models, "diffusion_models", "wan2.1_t2v_1.3B_fp16.safetensors"), VIDEO_TELLTALES["wan2.1-t2v-1.3b"]!);
  writeSafetensors(join(models, "vae", "wan_2.1_vae.safetensors"), VIDEO_TELLTALES.wan_vae!);
  writeSafetensors(join(models, "text_encoders", "umt5_xxl_fp16.safetensors"), VIDEO_TELLTALES.umt5!);
  writeSafetensors(join(models, "animatediff", "mm_sd15_v3.safetensors"), VIDEO_TELLTALES.motion_module!);
  writeSafetensors(join(models, "stable-diffusion", "sd15.safetensors"), TELLTALES.sd1!);
  writeSafetensors(join(models, "clip_vision", "clip_vision_h.safetensors"), [{ name: "visual.transformer.resblocks.0.attn.in_proj_weight", shape: [3840, 1280] }]);
  return { models };
}
