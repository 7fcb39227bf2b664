/**
 * A video request's files → what sd-server is started with. The main model, VAE, text encoders and LoRAs
 * resolve as an image request's do (models/resolve.ts); the video companions from their own folders:
 * the high-noise model (diffusion_models), clip_vision, the motion module (animatediff), LTX-2's audio VAE
 * (vae) and embeddings connectors (text_encoders). The key is marked as a video set, so an image task and
 * a video task never share an engine start (upstream's server makes only the modes its model supports).
 */
import type { ModelSet } from "../engine/types";
import type { ModelKind } from "../core/paths";
import { modelSetKey, toModelSet } from "../models/model-set";
import { headerVideoFamily, locateModel, ModelNotFoundError, resolveModels, type ResolvedModels } from "../models/resolve";
import type { SearchPath } from "../models/roots";
import type { VideoFamilyId } from "../common/video-families";
import type { VideoRequest } from "../common/video-request";

export interface ResolvedVideoModels {
  base: ResolvedModels;
  /** The family the main model's header says (null: not a video model). */
  detected: VideoFamilyId | null;
  modelSet: ModelSet;
  key: string;
}

const COMPANIONS: [keyof VideoRequest & string, ModelKind, keyof ModelSet][] = [
  ["high_noise_model", "diffusion_models", "highNoiseDiffusionModel"],
  ["clip_vision", "clip_vision", "clipVision"],
  ["motion_module", "animatediff", "motionModule"],
  ["audio_vae", "vae", "audioVae"],
  ["embeddings_connectors", "text_encoders", "embeddingsConnectors"],
];

export function resolveVideoModels(search: SearchPath, r: VideoRequest, options: { embeddingsView?: string } = {}): ResolvedVideoModels {
  const base = resolveModels(search, { model: r.model, vae: r.vae, text_encoders: r.text_encoders, loras: r.loras }, options);
  const modelSet = toModelSet(base);
  for (const [field, kind, slot] of COMPANIONS) {
    const name = r[field];
    if (typeof name !== "string") continue;
    const found = locateModel(search, kind, name);
    if (!found) throw new ModelNotFoundError(field, kind, name);
    (modelSet as unknown as Record<string, string>)[slot] = found.file;
  }
  // An SD 1.5 checkpoint is a video model only with a motion module (upstream sd_ctx_supports_video_generation).
  const detected = r.motion_module && base.model.family === "sd1" ? "animatediff" : headerVideoFamily(base.model.path);
  return { base, detected, modelSet, key: videoSetKey(modelSet) };
}

export const videoSetKey = (set: ModelSet) => `video:${modelSetKey(set)}`;
