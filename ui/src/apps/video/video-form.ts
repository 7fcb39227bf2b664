/**
 * The Video tab's form state and the pure functions around it: the defaults
 * (the chosen family's, common/video-families.ts), the request it becomes
 * (common/video-request.ts's shape: only the files and pictures the family
 * takes are sent), the form back from a queued request (Reuse settings) and
 * from a saved tab state.
 */
import type { Speed } from "../../../../common/speed";
import { VIDEO_FAMILIES, VIDEO_FAMILY, type VideoFamilyId } from "../../../../common/video-families";
import type { VideoRequestInput } from "../../../../common/video-request";

/** The files of a video model set besides the main model (the request's field names). */
export const COMPANION_FIELDS = ["high_noise_model", "vae", "clip_vision", "motion_module", "audio_vae", "embeddings_connectors"] as const;
export type CompanionField = (typeof COMPANION_FIELDS)[number];

export interface VideoForm {
  prompt: string;
  negative_prompt: string;
  family: VideoFamilyId;
  model: string;
  high_noise_model: string;
  vae: string;
  text_encoders: string[];
  clip_vision: string;
  motion_module: string;
  audio_vae: string;
  embeddings_connectors: string;
  width: number;
  height: number;
  frames: number;
  fps: number;
  steps: number;
  cfg_scale: number;
  /** "" lets the engine choose. */
  sampler: string;
  seed: number;
  random_seed: boolean;
  /** "" leaves it to Settings → Engine → Speed. */
  speed: "" | Speed;
  start_image?: string;
  end_image?: string;
  control_frames: string[];
  /** Request fields the form shows no field for (a reused video's flow shift, LoRAs, high-noise pass, …): sent back as they were. */
  kept?: Partial<Record<KeptField, unknown>>;
}

/** Fields of the video request (common/video-request.ts) kept through Reuse settings without a field of their own. */
export const KEPT_FIELDS = [
  "scheduler",
  "flow_shift",
  "loras",
  "strength",
  "high_noise",
  "moe_boundary",
  "vace_strength",
  "vae_tiling",
  "output_format",
] as const;
export type KeptField = (typeof KEPT_FIELDS)[number];

export const DEFAULT_FAMILY: VideoFamilyId = "wan2.1-t2v";

/** A fresh form for a family: its size, frames and fps; prompts and files kept from `from`. */
export function formFor(family: VideoFamilyId, from?: Partial<VideoForm>): VideoForm {
  const f = VIDEO_FAMILY[family];
  return {
    prompt: "",
    negative_prompt: "",
    model: "",
    high_noise_model: "",
    vae: "",
    text_encoders: [],
    clip_vision: "",
    motion_module: "",
    audio_vae: "",
    embeddings_connectors: "",
    steps: 20,
    cfg_scale: 6,
    sampler: "",
    seed: 0,
    random_seed: true,
    speed: "",
    control_frames: [],
    ...from,
    family,
    width: f.size.width,
    height: f.size.height,
    frames: f.frames.default,
    fps: f.fps,
  };
}

/** Switching family: its sizes, frames and fps; the pictures it does not take are dropped. */
export function switchFamily(form: VideoForm, family: VideoFamilyId): VideoForm {
  // What another family's video kept (a high-noise pass, VACE strength, …) does not carry over.
  const next = { ...formFor(family, form), kept: {} };
  const f = VIDEO_FAMILY[family];
  if (f.inputs.start_image === "no") next.start_image = undefined;
  if (f.inputs.end_image === "no") next.end_image = undefined;
  if (f.inputs.control_frames === "no") next.control_frames = [];
  return next;
}

/** The request for POST /api/videos: only what the family takes. */
export function toVideoRequest(s: VideoForm): VideoRequestInput {
  const f = VIDEO_FAMILY[s.family];
  const out: VideoRequestInput = {
    prompt: s.prompt,
    negative_prompt: s.negative_prompt,
    model: s.model,
    width: s.width,
    height: s.height,
    frames: s.frames,
    fps: s.fps,
    steps: s.steps,
    cfg_scale: s.cfg_scale,
    seed: s.random_seed ? "random" : s.seed,
  };
  Object.assign(out, s.kept ?? {});
  if (s.sampler) out.sampler = s.sampler as VideoRequestInput["sampler"];
  if (s.speed && f.dit) out.speed = s.speed;
  if (f.files.text_encoders !== "no" && s.text_encoders.length) out.text_encoders = s.text_encoders;
  for (const k of COMPANION_FIELDS) if (f.files[k] !== "no" && s[k]) out[k] = s[k];
  if (f.inputs.start_image !== "no" && s.start_image) out.start_image = s.start_image;
  if (f.inputs.end_image !== "no" && s.end_image) out.end_image = s.end_image;
  if (f.inputs.control_frames !== "no" && s.control_frames.length) out.control_frames = s.control_frames;
  return out;
}

export const isFamily = (v: unknown): v is VideoFamilyId => typeof v === "string" && (VIDEO_FAMILIES as readonly string[]).includes(v);
const str = (v: unknown, d = "") => (typeof v === "string" ? v : d);
const num = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) ? v : d);

/** The form from a request (a queued task's, or a saved tab state); `family` when known, else kept. */
export function fromVideoRequest(r: Record<string, unknown>, family?: VideoFamilyId): VideoForm {
  const fam = family ?? (isFamily(r.family) ? r.family : DEFAULT_FAMILY);
  const base = formFor(fam);
  const seed = r.seed;
  return {
    ...base,
    prompt: str(r.prompt),
    negative_prompt: str(r.negative_prompt),
    model: str(r.model),
    high_noise_model: str(r.high_noise_model),
    vae: str(r.vae),
    text_encoders: Array.isArray(r.text_encoders) ? r.text_encoders.filter((t): t is string => typeof t === "string") : [],
    clip_vision: str(r.clip_vision),
    motion_module: str(r.motion_module),
    audio_vae: str(r.audio_vae),
    embeddings_connectors: str(r.embeddings_connectors),
    width: num(r.width, base.width),
    height: num(r.height, base.height),
    frames: num(r.frames, base.frames),
    fps: num(r.fps, base.fps),
    steps: num(r.steps, base.steps),
    cfg_scale: num(r.cfg_scale, base.cfg_scale),
    sampler: str(r.sampler),
    seed: typeof seed === "number" && seed >= 0 ? seed : 0,
    random_seed: typeof r.random_seed === "boolean" ? r.random_seed : !(typeof seed === "number" && seed >= 0),
    speed: r.speed === "quality" || r.speed === "balanced" || r.speed === "fast" ? r.speed : "",
    start_image: typeof r.start_image === "string" ? r.start_image : undefined,
    end_image: typeof r.end_image === "string" ? r.end_image : undefined,
    control_frames: Array.isArray(r.control_frames) ? r.control_frames.filter((t): t is string => typeof t === "string") : [],
    // A saved tab state carries `kept` itself; a request has the fields at the top.
    kept:
      r.kept && typeof r.kept === "object"
        ? (r.kept as VideoForm["kept"])
        : Object.fromEntries(KEPT_FIELDS.filter((k) => r[k] !== undefined).map((k) => [k, r[k]])),
  };
}

/** What the tab saves: everything but the pictures (data URLs would bloat ui-state). */
export function formForSaving(s: VideoForm): Record<string, unknown> {
  const { start_image: _s, end_image: _e, control_frames: _c, ...rest } = s;
  return rest;
}
