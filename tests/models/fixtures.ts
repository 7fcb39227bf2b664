/**
 * Writes tiny model files for tests: safetensors and GGUF headers with the
 * given tensor names, shapes and dtypes; the tensor data is a sparse hole
 * (the file is extended with truncate), so a "75 MB" token embedding costs
 * no disk. Also the telltale tensors of each family, after sd.cpp's loader.
 */
import { closeSync, mkdirSync, openSync, ftruncateSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export interface T {
  name: string;
  shape: number[];
  dtype?: string;
}

const BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F8_E4M3: 1, I64: 8, I32: 4, U8: 1 };

/** A safetensors file: header JSON, then (sparse) data of the right length. */
export function writeSafetensors(path: string, tensors: T[], metadata: Record<string, string> = {}, options: { truncateTo?: number } = {}) {
  mkdirSync(dirname(path), { recursive: true });
  const header: Record<string, unknown> = Object.keys(metadata).length ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const t of tensors) {
    const dtype = t.dtype ?? "F16";
    const n = t.shape.reduce((a, b) => a * b, 1) * (BYTES[dtype] ?? 2);
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + n] };
    offset += n;
  }
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const fd = openSync(path, "w");
  writeSync(fd, len);
  writeSync(fd, json);
  ftruncateSync(fd, options.truncateTo ?? 8 + json.length + offset);
  closeSync(fd);
}

const GGML: Record<string, [number, number, number]> = { f32: [0, 1, 4], f16: [1, 1, 2], q4_0: [2, 32, 18], q8_0: [8, 32, 34], q4_k: [12, 256, 144], q6_k: [14, 256, 210], bf16: [30, 1, 2] };

/** A GGUF v3 file: string metadata, tensor infos (shape given PyTorch-order, stored as ggml ne), sparse data. */
export function writeGguf(path: string, tensors: T[], kv: Record<string, string | number> = {}, options: { truncateTo?: number } = {}) {
  mkdirSync(dirname(path), { recursive: true });
  const parts: Buffer[] = [];
  const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    parts.push(b);
  };
  const u64 = (v: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    parts.push(b);
  };
  const str = (s: string) => {
    const b = Buffer.from(s);
    u64(b.length);
    parts.push(b);
  };
  parts.push(Buffer.from("GGUF"));
  u32(3);
  u64(tensors.length);
  u64(Object.keys(kv).length);
  for (const [k, v] of Object.entries(kv)) {
    str(k);
    if (typeof v === "string") (u32(8), str(v));
    else (u32(4), u32(v));
  }
  let offset = 0;
  for (const t of tensors) {
    const [type, block, bytes] = GGML[t.dtype ?? "f16"]!;
    str(t.name);
    u32(t.shape.length);
    for (const d of [...t.shape].reverse()) u64(d);
    u32(type);
    u64(offset);
    const n = Math.ceil(t.shape.reduce((a, b) => a * b, 1) / block) * bytes;
    offset += Math.ceil(n / 32) * 32;
  }
  const head = Buffer.concat(parts);
  const dataStart = Math.ceil(head.length / 32) * 32;
  const fd = openSync(path, "w");
  writeSync(fd, head);
  ftruncateSync(fd, options.truncateTo ?? dataStart + offset);
  closeSync(fd);
}

const D = "model.diffusion_model.";

/** The telltale tensors of each kind/family (names and shapes as the real files have them). */
export const TELLTALES: Record<string, T[]> = {
  sd1: [
    { name: `${D}input_blocks.0.0.weight`, shape: [320, 4, 3, 3] },
    { name: `${D}middle_block.1.proj_in.weight`, shape: [1280, 1280, 1, 1] },
    { name: `${D}output_blocks.7.1.proj_in.weight`, shape: [640, 640, 1, 1] },
    { name: "cond_stage_model.transformer.text_model.embeddings.token_embedding.weight", shape: [49408, 768] },
    { name: "first_stage_model.decoder.conv_in.weight", shape: [512, 4, 3, 3] },
  ],
  sd2: [
    { name: `${D}input_blocks.0.0.weight`, shape: [320, 4, 3, 3] },
    { name: `${D}middle_block.1.proj_in.weight`, shape: [1280, 1280] },
    { name: "cond_stage_model.model.token_embedding.weight", shape: [49408, 1024] },
    { name: "first_stage_model.decoder.conv_in.weight", shape: [512, 4, 3, 3] },
  ],
  sdxl: [
    { name: `${D}input_blocks.0.0.weight`, shape: [320, 4, 3, 3] },
    { name: `${D}middle_block.1.proj_in.weight`, shape: [1280, 1280] },
    { name: "conditioner.embedders.0.transformer.text_model.embeddings.token_embedding.weight", shape: [49408, 768] },
    { name: "conditioner.embedders.1.model.token_embedding.weight", shape: [49408, 1280] },
    { name: "first_stage_model.decoder.conv_in.weight", shape: [512, 4, 3, 3] },
  ],
  sd3: [
    { name: `${D}joint_blocks.0.x_block.attn.qkv.weight`, shape: [4608, 1536] },
    { name: `${D}context_embedder.weight`, shape: [1536, 4096] },
  ],
  /** A bare Flux diffusion model (as in flux1-dev.safetensors: no prefix). */
  flux: [
    { name: "double_blocks.0.img_attn.qkv.weight", shape: [9216, 3072] },
    { name: "single_blocks.0.linear1.weight", shape: [21504, 3072] },
    { name: "img_in.weight", shape: [3072, 64] },
  ],
  chroma: [
    { name: "double_blocks.0.img_attn.qkv.weight", shape: [9216, 3072] },
    { name: "distilled_guidance_layer.in_proj.weight", shape: [5120, 64] },
    { name: "img_in.weight", shape: [3072, 64] },
  ],
  flux2: [
    { name: "double_blocks.0.img_attn.qkv.weight", shape: [18432, 6144] },
    { name: "double_stream_modulation_img.lin.weight", shape: [36864, 6144] },
    { name: "single_blocks.47.linear1.weight", shape: [73728, 6144] },
  ],
  "z-image": [
    { name: "cap_embedder.0.weight", shape: [2560] },
    { name: "layers.0.attention.qkv.weight", shape: [11520, 3840] },
  ],
  "qwen-image": [
    { name: "transformer_blocks.0.img_mod.1.weight", shape: [18432, 3072] },
    { name: "img_in.weight", shape: [3072, 64] },
  ],
  wan: [
    { name: "blocks.0.cross_attn.norm_k.weight", shape: [1536] },
    { name: "patch_embedding.weight", shape: [1536, 16, 1, 2, 2] },
  ],
  vae_sd: [
    { name: "decoder.conv_in.weight", shape: [512, 4, 3, 3] },
    { name: "encoder.down.0.block.0.conv1.weight", shape: [128, 128, 3, 3] },
  ],
  vae_flux: [
    { name: "decoder.conv_in.weight", shape: [512, 16, 3, 3] },
    { name: "encoder.down.0.block.0.conv1.weight", shape: [128, 128, 3, 3] },
  ],
  vae_qwen: [
    { name: "decoder.conv1.weight", shape: [384, 16, 3, 3, 3] },
    { name: "encoder.downsamples.0.residual.0.gamma", shape: [96, 1, 1, 1] },
  ],
  lora_sdxl: [
    { name: "lora_unet_input_blocks_4_1_transformer_blocks_0_attn2_to_k.lora_down.weight", shape: [16, 2048] },
    { name: "lora_te2_text_model_encoder_layers_0_mlp_fc1.lora_down.weight", shape: [16, 1280] },
  ],
  lora_sd1: [{ name: "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_down.weight", shape: [8, 768] }],
  lora_flux: [{ name: "transformer.single_transformer_blocks.0.attn.to_q.lora_A.weight", shape: [16, 3072] }],
  clip_l: [
    { name: "text_model.embeddings.token_embedding.weight", shape: [49408, 768] },
    { name: "text_model.encoder.layers.0.mlp.fc1.weight", shape: [3072, 768] },
  ],
  clip_g: [
    { name: "text_model.embeddings.token_embedding.weight", shape: [49408, 1280] },
    { name: "text_model.encoder.layers.0.mlp.fc1.weight", shape: [5120, 1280] },
  ],
  t5xxl: [
    { name: "encoder.block.0.layer.0.SelfAttention.q.weight", shape: [4096, 4096] },
    { name: "shared.weight", shape: [32128, 4096] },
  ],
  qwen3: [
    { name: "model.layers.0.self_attn.q_proj.weight", shape: [4096, 2560] },
    { name: "model.layers.0.self_attn.q_norm.weight", shape: [128] },
  ],
  controlnet: [
    { name: "control_model.input_hint_block.0.weight", shape: [16, 3, 3, 3] },
    { name: "control_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight", shape: [320, 768] },
  ],
  esrgan: [
    { name: "model.0.weight", shape: [64, 3, 3, 3] },
    { name: "model.1.sub.0.RDB1.conv1.0.weight", shape: [32, 64, 3, 3] },
  ],
  taesd: [
    { name: "decoder.layers.0.weight", shape: [64, 4, 3, 3] },
    { name: "encoder.layers.0.weight", shape: [64, 3, 3, 3] },
  ],
  embedding: [{ name: "emb_params", shape: [2, 768], dtype: "F32" }],
};

/** A minimal SD1 checkpoint the stand-in engine (which reads nothing) and the model list both accept. */
export function writeTinyCheckpoint(path: string) {
  writeSafetensors(path, TELLTALES.sd1!);
}

/** A tiny valid safetensors LoRA in memory: an 8-byte header length, the JSON header, the data. */
export function tinyLora(): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ "lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight": { dtype: "F16", shape: [4, 320], data_offsets: [0, 2560] } }));
  const out = new Uint8Array(8 + header.length + 2560);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  return out;
}
