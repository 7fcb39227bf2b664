/**
 * Whether the engine can use a file for the kind of folder it sits in, and
 * if not, why (shown in the list; the file is not offered in pickers). Pure.
 */
import { loraFileProblem } from "../engine/lora-files";
import type { ModelKind } from "../core/paths";
import type { DetectedKind, Identity } from "./entry";

/** Which detected kinds each folder kind accepts. */
const ACCEPTS: Record<ModelKind, DetectedKind[]> = {
  "stable-diffusion": ["checkpoint"],
  diffusion_models: ["diffusion_model", "checkpoint"],
  text_encoders: ["text_encoder"],
  vae: ["vae"],
  lora: ["lora"],
  embeddings: ["embedding"],
  controlnet: ["controlnet"],
  realesrgan: ["upscaler"],
  taesd: ["taesd"],
  clip_vision: ["text_encoder"],
  animatediff: ["motion_module"],
};

/** Where a detected kind belongs, for the hint. */
const HOME: Record<DetectedKind, ModelKind> = {
  checkpoint: "stable-diffusion",
  diffusion_model: "diffusion_models",
  text_encoder: "text_encoders",
  vae: "vae",
  lora: "lora",
  embedding: "embeddings",
  controlnet: "controlnet",
  upscaler: "realesrgan",
  taesd: "taesd",
  motion_module: "animatediff",
};

const LABEL: Record<DetectedKind, string> = {
  checkpoint: "a full checkpoint",
  diffusion_model: "a diffusion model without its VAE and text encoders",
  text_encoder: "a text encoder",
  vae: "a VAE",
  lora: "a LoRA",
  embedding: "an embedding",
  controlnet: "a ControlNet",
  upscaler: "an upscaler",
  taesd: "a TAESD decoder",
  motion_module: "an AnimateDiff motion module",
};

export function usability(kind: ModelKind, name: string, identity: Identity): { usable: boolean; problem?: string } {
  if (identity.problem) return { usable: false, problem: identity.problem };
  if (kind === "lora") {
    const problem = loraFileProblem(name);
    if (problem) return { usable: false, problem };
  }
  const detected = identity.detected;
  // The engine must recognise a main model's architecture (sd.cpp's get_sd_version, ported in sd-version.ts).
  if (!detected && (kind === "stable-diffusion" || kind === "diffusion_models"))
    return { usable: false, problem: "no diffusion model found in this file (the engine would not recognise it)" };
  // Other kinds: readable but not recognised, so let the engine judge (our detection is a subset of upstream's loaders).
  if (!detected) return { usable: true };
  if (ACCEPTS[kind].includes(detected)) return { usable: true };
  return { usable: false, problem: `this is ${LABEL[detected]}: it belongs in the ${HOME[detected]} folder` };
}
