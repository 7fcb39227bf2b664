/**
 * What a model file is, from its header alone: kind (checkpoint, diffusion
 * model, VAE, LoRA, text encoder, ControlNet, upscaler, TAESD, embedding),
 * family (sd1, sdxl, flux, …) and precision. Pure: tensor names, shapes,
 * dtypes and string metadata in; no file access. The diffusion families come
 * from the port of sd.cpp's get_sd_version (sd-version.ts); the other kinds
 * follow the tensor names sd.cpp's loaders expect for each flag
 * (src/stable-diffusion.cpp: --vae "vae.", --clip_l "clip_l.", --t5xxl,
 * --llm "text_encoders.llm.", --taesd "tae."; src/name_conversion.cpp for
 * LoRA and ESRGAN names).
 */
import type { DetectedKind, Identity } from "./entry";
import type { Header, TensorInfo } from "./headers/tensor";
import { familyOf, sdVersion } from "./sd-version";
import { isMotionModule, videoFamilyOf } from "./video-family";

const DIFFUSION = "model.diffusion_model.";
/** Names that mark a full checkpoint's non-diffusion parts. */
const CHECKPOINT_PARTS = ["first_stage_model.", "cond_stage_model.", "conditioner.", "text_encoders.", "vae."];
/** Telltale names of a bare diffusion model (saved without sd.cpp's prefix). */
const BARE_DIFFUSION = new RegExp(
  "^(" +
    [
      "input_blocks\\.",
      "double_blocks\\.",
      "single_blocks\\.",
      "joint_blocks\\.",
      "transformer_blocks\\.",
      "single_transformer_blocks\\.",
      "cap_embedder\\.",
      "blocks\\.\\d+\\.cross_attn",
      "layers\\.\\d+\\.(attention|adaLN|feed_forward)",
      "img_in\\.",
      "x_embedder",
      "patch_embedding",
      "context_embedder",
      "distilled_guidance_layer",
      "double_stream_modulation",
      // Video DiTs, as get_sd_version names them (LTXAV, HUNYUAN_VIDEO, LINGBOT_VIDEO)
      "adaln_single\\.",
      "txt_in\\.individual_token_refiner",
      "patch_embedder\\.",
    ].join("|") +
    ")",
);

/** The most common dtype of the weight matrices (quantized GGUF mixes, e.g. q4_k with q6_k, report the main one). */
export function precisionOf(tensors: TensorInfo[]): string | null {
  const counts = new Map<string, number>();
  for (const t of tensors) if (t.dtype && t.shape.length >= 2) counts.set(t.dtype, (counts.get(t.dtype) ?? 0) + 1);
  if (!counts.size) for (const t of tensors) if (t.dtype) counts.set(t.dtype, (counts.get(t.dtype) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [d, c] of counts) if (c > n) (best = d), (n = c);
  return best;
}

function loraFamily(names: string[], meta: Record<string, string>, byName: Map<string, TensorInfo>): string | null {
  const base = `${meta["ss_base_model_version"] ?? ""} ${meta["modelspec.architecture"] ?? ""}`.toLowerCase();
  if (/sdxl|stable-diffusion-xl/.test(base)) return "sdxl";
  if (/flux-2|flux2/.test(base)) return "flux2";
  if (/flux/.test(base)) return "flux";
  if (/sd_v2|stable-diffusion-v2/.test(base)) return "sd2";
  if (/sd_v1|stable-diffusion-v1/.test(base)) return "sd1";
  const any = (re: RegExp) => names.some((n) => re.test(n));
  if (any(/double_blocks|single_blocks|single_transformer_blocks/)) return any(/double_stream_modulation/) ? "flux2" : "flux";
  if (any(/joint_blocks/)) return "sd3";
  if (any(/transformer_blocks[._]\d+[._]img_mod|img_mlp/)) return "qwen-image";
  if (any(/cap_embedder|layers[._]\d+[._]attention[._]/)) return "z-image";
  if (any(/blocks[._]\d+[._]cross_attn/)) return "wan";
  if (any(/lora_te2_|te2\.|text_encoder_2/)) return "sdxl";
  // UNet LoRAs: the cross-attention key's input width is the text encoder's (768 SD1, 1024 SD2, 2048 SDXL).
  for (const [n, t] of byName) {
    if (/attn2[._]to_k[._]lora_(down|A)/i.test(n) || /attn2\.to_k\.lora_A/.test(n)) {
      const width = t.shape[t.shape.length - 1];
      if (width === 768) return "sd1";
      if (width === 1024) return "sd2";
      if (width === 2048) return "sdxl";
    }
  }
  return any(/lora_unet_|lora_te/) ? "sd1" : null;
}

/** Text encoder flavour (and the LLM's family) from names, widths and GGUF architecture. */
function textEncoder(names: string[], meta: Record<string, string>, byName: Map<string, TensorInfo>): Pick<Identity, "encoder" | "family"> | null {
  const arch = meta["general.architecture"]?.toLowerCase();
  const any = (re: RegExp) => names.some((n) => re.test(n));
  if (any(/(^|\.)encoder\.block\.0\.layer\.0\.SelfAttention\.q\.weight$/) || arch === "t5" || arch === "t5encoder" || any(/^enc\.blk\.0\.attn_q/))
    return {
      encoder: "t5xxl",
      family: any(/relative_attention_bias/) && names.filter((n) => n.includes("relative_attention_bias")).length > 1 ? "umt5" : "t5",
    };
  const clip = names.find((n) => /text_model\.embeddings\.token_embedding\.weight$|(^|\.)token_embedding\.weight$/.test(n));
  if (clip && any(/text_model\.encoder\.layers\.|transformer\.resblocks\./)) {
    const width = byName.get(clip)!.shape.at(-1);
    if (width === 1280) return { encoder: "clip_g", family: null };
    if (width === 768) return { encoder: "clip_l", family: null };
    return { encoder: any(/resblocks/) ? "clip_g" : "clip_l", family: null };
  }
  if (any(/(^|\.)layers\.0\.self_attn\.q_proj\.weight$/) || any(/^blk\.0\.attn_q\.weight$/)) {
    let family: string | null = arch ?? null;
    if (!family) {
      if (any(/self_attn\.q_norm\.weight$/)) family = "qwen3";
      else if (any(/^visual\.|\.visual\./)) family = "qwen2.5-vl";
      else if (any(/pre_feedforward_layernorm/)) family = "gemma";
      else family = null; // an LLM we cannot name: it may fit any family that takes one
    }
    if (family === "qwen2vl" || family === "qwen25vl") family = "qwen2.5-vl";
    return { encoder: "llm", family };
  }
  return null;
}

function vaeFamily(byName: Map<string, TensorInfo>, names: string[]): string | null {
  const conv = byName.get("decoder.conv_in.weight") ?? byName.get("first_stage_model.decoder.conv_in.weight") ?? byName.get("vae.decoder.conv_in.weight");
  if (names.some((n) => /decoder\.(head|upsamples)\.|decoder\.conv1\.weight/.test(n))) return "wan";
  if (!conv) return null;
  const latent = conv.shape[1];
  if (latent === 16) return "flux";
  if (latent === 32) return "flux2";
  if (latent === 4) return "sd";
  return null;
}

export function identify(header: Header): Identity {
  const { tensors, metadata } = header;
  const names = tensors.map((t) => t.name);
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const precision = precisionOf(tensors);
  const result = (detected: DetectedKind | null, family: string | null, extra: Partial<Identity> = {}): Identity => ({ detected, family, precision, ...extra });
  const any = (re: RegExp) => names.some((n) => re.test(n));
  if (!tensors.length) return result(null, null, { problem: "the file holds no tensors" });

  // Textual inversion: a handful of vectors under well-known keys.
  if (tensors.length <= 4 && names.every((n) => /^(emb_params|clip_l|clip_g|string_to_(param|token)(\..*)?|\*)$/.test(n)))
    return result("embedding", names.includes("clip_g") ? "sdxl" : null);
  if (any(/lora_(up|down|A|B)\b|\.lora_(up|down|A|B)\.|lora_(up|down)\.weight|\.hada_w1_a|\.lokr_w1|\.lora\.(up|down)/) || any(/^lora_(unet|te)/))
    return result("lora", loraFamily(names, metadata, byName));
  if (any(/^(encoder|decoder)\.layers\.\d+\./) && !any(/^(encoder|decoder)\.(down|up|mid)/)) return result("taesd", null);
  if (any(/^(conv_first|model\.0)\.weight$|RRDB_trunk\.|^body\.\d+\.rdb1\.|^model\.1\.sub\./)) return result("upscaler", null);
  if (any(/^control_model\.|input_hint_block|controlnet_cond_embedding|^controlnet_blocks\.|zero_convs\./))
    return result("controlnet", familyFromControl(names, byName));

  if (isMotionModule(names)) return result("motion_module", "sd1", { videoFamily: "animatediff" });
  const prefixed = names.some((n) => n.startsWith(DIFFUSION) || n.startsWith("unet."));
  const bare = !prefixed && names.some((n) => BARE_DIFFUSION.test(n));
  if (prefixed || bare) {
    const forVersion = bare ? tensors.map((t) => ({ ...t, name: DIFFUSION + t.name })) : tensors;
    const version = sdVersion(forVersion) ?? unetByContext(forVersion) ?? byNamesOnly(names);
    const chroma = any(/distilled_guidance_layer/);
    const full = CHECKPOINT_PARTS.some((p) => names.some((n) => n.startsWith(p)));
    const family = version ? familyOf(version, chroma) : null;
    const videoFamily = videoFamilyOf(forVersion, version);
    const bundled = full
      ? {
          vae: names.some((n) => /^(first_stage_model|vae)\./.test(n)),
          textEncoders: names.some((n) => /^(cond_stage_model|conditioner|text_encoders)\./.test(n)),
        }
      : undefined;
    return result(full ? "checkpoint" : "diffusion_model", family, {
      ...(bundled ? { bundled } : {}),
      ...(videoFamily ? { videoFamily } : {}),
      ...(version ? {} : { problem: "the engine does not recognise this model's architecture" }),
    });
  }
  const te = textEncoder(names, metadata, byName);
  if (te) return result("text_encoder", te.family, { encoder: te.encoder });
  if (any(/^(first_stage_model\.|vae\.)?(encoder|decoder)\.(conv_in|down|up|mid|conv1|head|downsamples|upsamples)/))
    return result("vae", vaeFamily(byName, names));
  return result(null, null);
}

/** The first cross-attention key projection of a UNet, in the original (LDM) and the diffusers layout. */
const UNET_CROSS_ATTENTION_KEY =
  /(input_blocks\.\d+\.1\.transformer_blocks\.0\.attn2\.to_k\.weight|down_blocks\.\d+\.attentions\.0\.transformer_blocks\.0\.attn2\.to_k\.weight)$/;

/** A UNet saved without its text encoder has no token embedding: its cross-attention width tells SD1/SD2/SDXL. */
function unetByContext(tensors: TensorInfo[]): string | null {
  for (const t of tensors) {
    if (UNET_CROSS_ATTENTION_KEY.test(t.name)) {
      const width = t.shape.at(-1);
      if (width === 768) return "SD1";
      if (width === 1024) return "SD2";
      if (width === 2048) return "SDXL";
    }
  }
  return null;
}

function familyFromControl(names: string[], byName: Map<string, TensorInfo>): string | null {
  if (names.some((n) => /double_blocks|controlnet_blocks/.test(n))) return "flux";
  const prefixed = [...byName.values()].map((t) => ({ ...t, name: t.name.replace(/^control_model\./, DIFFUSION) }));
  const v = unetByContext(prefixed);
  return v ? familyOf(v) : null;
}

/** Pickled checkpoints give names but no shapes: tell SD1/SD2/SDXL by which text encoder they carry. */
function byNamesOnly(names: string[]): string | null {
  if (names.some((n) => n.startsWith("conditioner.embedders.1"))) return "SDXL";
  if (names.some((n) => n.startsWith("cond_stage_model.model.transformer.resblocks"))) return "SD2";
  if (names.some((n) => n.startsWith("cond_stage_model.transformer.text_model"))) return "SD1";
  return null;
}
