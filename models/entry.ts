/**
 * The shapes the models noun shares with its routes and with the other
 * helpers' code (catalog, downloads, the Model Browser): one listed model
 * file, and what its header said. See /api/models in models/README.md.
 */
import type { ModelKind } from "../core/paths";
import type { VideoFamilyId } from "../common/video-families";

/** What a header says a file is (independent of the folder it sits in). */
export type DetectedKind =
  | "checkpoint"
  | "diffusion_model"
  | "vae"
  | "lora"
  | "text_encoder"
  | "controlnet"
  | "upscaler"
  | "taesd"
  | "embedding"
  | "motion_module";

/** Model families, named after sd.cpp's SDVersion groups (src/model.h). */
export type Family =
  | "sd1"
  | "sd2"
  | "sdxl"
  | "sd3"
  | "flux"
  | "flux2"
  | "chroma"
  | "z-image"
  | "qwen-image"
  | "wan"
  | "ovis"
  | "svd"
  | "hunyuan-video"
  | "anima"
  | "longcat"
  | "ernie-image"
  | "ltx"
  | (string & {});

export type Layout = "app" | "a1111" | "comfyui" | "ed3";

export type ModelFormat = "safetensors" | "gguf" | "ckpt" | "pt" | "pth" | "bin" | "sft";

/** Civitai's answer for one file (filled by the net helper's by-hash lookup). */
export interface CivitaiInfo {
  modelId: number;
  versionId: number;
  name: string;
  versionName: string;
  baseModel: string;
  trainedWords: string[];
  preview: string | null;
  url: string;
  updateAvailable?: { versionId: number; name: string };
}

/** What reading a file's header found; cached by path + size + mtime. */
export interface Identity {
  detected: DetectedKind | null;
  family: Family | null;
  /** Text encoder flavour, when detected is text_encoder. */
  encoder?: "clip_l" | "clip_g" | "t5xxl" | "llm" | null;
  precision: string | null;
  /** Checkpoints: whether the file carries its own VAE and text encoders (an SD3/Flux checkpoint may not). */
  bundled?: { vae: boolean; textEncoders: boolean };
  /** A video model's family (common/video-families.ts; models/video-family.ts): what the Video tab offers it for. */
  videoFamily?: VideoFamilyId;
  /** Set when the header could not be read: the file is listed but not offered. */
  problem?: string;
}

export interface ModelEntry {
  kind: ModelKind;
  name: string;
  file: string;
  folder: string;
  root: string;
  layout: Layout;
  size: number;
  mtime: number;
  format: ModelFormat;
  detected: DetectedKind | null;
  family: Family | null;
  precision: string | null;
  usable: boolean;
  problem?: string;
  sha256: string | null;
  shortHash: string | null;
  needs: string[];
  civitai: CivitaiInfo | null;
  /** Text encoders only: which slot it fills (the flag sd-server takes it with). */
  encoder?: "clip_l" | "clip_g" | "t5xxl" | "llm";
  /** Video models and motion modules only: the video family (what the Video tab offers it for). */
  videoFamily?: VideoFamilyId;
}

/** The model set last used (from the newest task), for the picker's defaults and the warm start. */
export interface LastUsed {
  model: string;
  vae?: string;
  text_encoders: string[];
  set?: string;
}
