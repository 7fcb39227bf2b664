/**
 * A port of stable-diffusion.cpp's model version detection
 * (src/model_loader.cpp `ModelLoader::get_sd_version`, tag master-827-97d2990),
 * so the list says what the engine will make of a file. Pure: tensor names
 * and shapes in, the SDVersion name out (null = upstream's VERSION_COUNT,
 * "unknown"). Names must carry sd.cpp's prefixes: a standalone diffusion
 * model is loaded with "model.diffusion_model." in front of each name
 * (src/stable-diffusion.cpp, init_from_file(diffusion_model_path, "model.diffusion_model.")).
 * `ne` is ggml's dimension order: PyTorch's shape reversed.
 */
import type { TensorInfo } from "./headers/tensor";

/**
 * ggml's ne[i] of a tensor. A 5-D safetensors shape is read as 4-D with its first two dimensions
 * multiplied, as upstream's src/model_io/safetensors_io.cpp does (Wan's patch_embedding: 3072×48×1×2×2 →
 * ne[3] = 147456, what get_sd_version compares for Wan2.2 TI2V).
 */
const ne = (t: TensorInfo | undefined, i: number) => {
  if (!t) return 0;
  const shape = t.shape.length === 5 ? [t.shape[0]! * t.shape[1]!, ...t.shape.slice(2)] : t.shape;
  return shape[shape.length - 1 - i] ?? 0;
};

export function sdVersion(tensors: TensorInfo[]): string | null {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const has = (n: string) => byName.has(n);
  let tokenEmbedding: TensorInfo | undefined;
  let inputBlock: TensorInfo | undefined;
  let contextEmbedding: TensorInfo | undefined;
  let multipleEncoders = false,
    isUnet = false,
    isXl = false,
    isFlux = false,
    isFlux2 = false,
    singleBlock47 = false,
    isWan = false,
    imgEmb = false,
    middleBlock1 = false,
    outputBlock311 = false,
    outputBlock71 = false,
    attn1024 = false;
  let patchChannels = 0;
  for (const t of tensors) {
    const n = t.name;
    const f = (s: string) => n.includes(s);
    if (f("model.diffusion_model.double_blocks.") || f("model.diffusion_model.single_transformer_blocks.")) isFlux = true;
    if (f("model.diffusion_model.net.lq_proj.latent_proj.0.weight")) return "PID";
    if (f("embed_image_indicator.weight")) return "IDEOGRAM4";
    if (f("model.diffusion_model.txtfusion.projector.weight") || f("model.diffusion_model.text_fusion.projector.weight")) return "KREA2";
    if (f("model.diffusion_model.nerf_final_layer_conv.")) return "CHROMA_RADIANCE";
    if (f("model.diffusion_model.joint_blocks.")) return "SD3";
    if (f("model.x_embedder.proj1.weight") && has("model.language_model.layers.0.self_attn.q_proj.weight")) return "HIDREAM_O1";
    if (
      f("model.diffusion_model.transformer_blocks.0.attn.norm_added_q.weight") &&
      has("model.diffusion_model.transformer_blocks.0.img_mlp.w1.weight")
    )
      return "LENS";
    if (f("net.img_embedder.proj1.weight")) return "MINIT2I";
    if (f("model.diffusion_model.transformer_blocks.0.img_mod.1.weight")) {
      if (ne(byName.get("model.diffusion_model.img_in.weight"), 0) === 128) return "MAGE_FLOW";
      if (has("model.diffusion_model.time_text_embed.addition_t_embedding.weight")) return "QWEN_IMAGE_LAYERED";
      return "QWEN_IMAGE";
    }
    if (f("model.diffusion_model.txt_in.individual_token_refiner.blocks.0.adaLN_modulation.1.weight")) return "HUNYUAN_VIDEO";
    if (f("llm_adapter.blocks.0.cross_attn.q_proj.weight")) return "ANIMA";
    if (f("model.diffusion_model.double_stream_modulation_img.lin.weight")) isFlux2 = true;
    if (f("dual_time_embed.semantic_embedder.linear_1.weight")) return "SEFI_IMAGE";
    if (f("single_blocks.47.linear1.weight")) singleBlock47 = true;
    if (f("model.diffusion_model.double_blocks.0.img_mlp.gate_proj.weight")) return "OVIS_IMAGE";
    if (f("model.diffusion_model.cap_embedder.0.weight")) return "Z_IMAGE";
    if (f("double_stream_layers.0.img_instruct_attn.processor.img_to_q.weight")) return "BOOGU_IMAGE";
    if (f("model.diffusion_model.layers.0.adaLN_sa_ln.weight")) return "ERNIE_IMAGE";
    if (f("model.diffusion_model.adaln_single.emb.timestep_embedder.linear_1.bias")) return "LTXAV";
    if (f("model.diffusion_model.video_patch_proj.weight") && has("model.diffusion_model.audio_patch_proj.weight")) return "MINIMAX_H3";
    if (f("model.diffusion_model.blocks.0.cross_attn.norm_k.weight")) isWan = true;
    if (f("model.diffusion_model.patch_embedder.weight")) return "LINGBOT_VIDEO";
    if (f("model.diffusion_model.patch_embedding.weight")) patchChannels = ne(t, 3);
    if (f("model.diffusion_model.img_emb")) imgEmb = true;
    if (f("model.diffusion_model.input_blocks.") || f("unet.down_blocks.")) {
      isUnet = true;
      if (multipleEncoders) isXl = true;
    }
    if (f("conditioner.embedders.1") || f("cond_stage_model.1") || f("te.1")) {
      multipleEncoders = true;
      if (isUnet) isXl = true;
    }
    if (f("model.diffusion_model.input_blocks.8.0.time_mixer.mix_factor")) return "SVD";
    if (f("model.diffusion_model.middle_block.1.") || f("unet.mid_block.resnets.1.")) middleBlock1 = true;
    if (f("model.diffusion_model.output_blocks.3.1.transformer_blocks.1") || f("unet.up_blocks.1.attentions.0.transformer_blocks.1")) outputBlock311 = true;
    if (f("model.diffusion_model.output_blocks.7.1") || f("unet.up_blocks.2.attentions.1")) {
      outputBlock71 = true;
      if (f("model.diffusion_model.output_blocks.7.1.transformer_blocks.0.attn1.to_k.weight") && ne(t, 0) === 1024) attn1024 = true;
    }
    if (
      n === "cond_stage_model.transformer.text_model.embeddings.token_embedding.weight" ||
      n === "cond_stage_model.model.token_embedding.weight" ||
      n === "text_model.embeddings.token_embedding.weight" ||
      n === "te.text_model.embeddings.token_embedding.weight" ||
      n === "conditioner.embedders.0.model.token_embedding.weight" ||
      n === "conditioner.embedders.0.transformer.text_model.embeddings.token_embedding.weight"
    )
      tokenEmbedding = t;
    if (n === "model.diffusion_model.input_blocks.0.0.weight" || n === "model.diffusion_model.img_in.weight" || n === "unet.conv_in.weight") inputBlock = t;
    if (n === "model.diffusion_model.txt_in.weight" || n === "model.diffusion_model.context_embedder.weight") contextEmbedding = t;
  }
  if (isWan) {
    if (patchChannels === 184320 && !imgEmb) return "WAN2_2_I2V";
    if (patchChannels === 147456 && !imgEmb) return "WAN2_2_TI2V";
    return "WAN2";
  }
  const inpaint = ne(inputBlock, 2) === 9;
  const ip2p = ne(inputBlock, 2) === 8;
  if (isXl) {
    if (inpaint) return "SDXL_INPAINT";
    if (ip2p) return "SDXL_PIX2PIX";
    if (!middleBlock1) return outputBlock311 ? "SDXL_SSD1B" : "SDXL_VEGA";
    return "SDXL";
  }
  if (isFlux && !isFlux2) {
    if (ne(contextEmbedding, 0) === 3584) return "LONGCAT";
    if (ne(inputBlock, 0) === 384) return "FLUX_FILL";
    if (ne(inputBlock, 0) === 128) return "FLUX_CONTROLS";
    if (ne(inputBlock, 0) === 196) return "FLEX_2";
    return "FLUX";
  }
  if (isFlux2) return singleBlock47 ? "FLUX2" : "FLUX2_KLEIN";
  const tokenDim = ne(tokenEmbedding, 0);
  if (tokenDim === 768) {
    if (inpaint) return "SD1_INPAINT";
    if (ip2p) return "SD1_PIX2PIX";
    if (!middleBlock1) return outputBlock71 ? "SD1_TINY_UNET" : "SDXS_512_DS";
    return "SD1";
  }
  if (tokenDim === 1024) {
    if (inpaint) return "SD2_INPAINT";
    if (!middleBlock1) return attn1024 ? "SDXS_09" : "SD2_TINY_UNET";
    return "SD2";
  }
  return null;
}

/**
 * Family of an SDVersion name (upstream's sd_version_is_* groups in src/model.h); `chroma` marks
 * a Flux with distilled_guidance_layer (src/stable-diffusion.cpp).
 */
export function familyOf(version: string, chroma = false): string {
  if (/^(SD1|SDXS_512)/.test(version)) return "sd1";
  if (/^(SD2|SDXS_09)/.test(version)) return "sd2";
  if (version.startsWith("SDXL")) return "sdxl";
  if (version === "CHROMA_RADIANCE") return "chroma";
  if (version === "OVIS_IMAGE") return "ovis";
  if (/^(FLUX|FLEX)/.test(version) && !version.startsWith("FLUX2")) return chroma ? "chroma" : "flux";
  if (version.startsWith("FLUX2")) return "flux2";
  if (version.startsWith("WAN")) return "wan";
  if (version.startsWith("QWEN_IMAGE")) return "qwen-image";
  if (version === "Z_IMAGE") return "z-image";
  return version.toLowerCase().replace(/_/g, "-");
}
