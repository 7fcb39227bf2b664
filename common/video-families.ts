/**
 * What each video model family takes and allows: its companion files, which
 * pictures it starts from, its frame-count and size rules, its defaults.
 * Pure and browser-safe: the Video tab shows and checks with it, the server
 * checks the same request with it. Every rule is from stable-diffusion.cpp at
 * 97d2990 (the pinned engine):
 * - companions and defaults: docs/wan.md, ltx2.md, hunyuan_video.md,
 *   lingbot_video.md, animatediff.md (their example command lines);
 * - frames: src/stable-diffusion.cpp `video_frames_to_latent_frames` /
 *   `align_video_frames` (Wan, Lingbot, HunyuanVideo 4n+1; LTX 8n+1;
 *   AnimateDiff any count) and examples/server/api.md "Frame Count Semantics"
 *   (the engine rounds down to the nearest allowed count);
 *   AnimateDiff at most 32 (src/model/diffusion/animatediff.hpp `max_frames`);
 * - sizes: src/stable-diffusion.cpp `align_image_size` (the engine rounds up
 *   to vae scale × diffusion down factor: `get_vae_scale_factor`,
 *   `get_diffusion_model_down_factor`, src/model/vae/vae.hpp
 *   `get_scale_factor`), 64..4096 from examples/server/routes_sdcpp.cpp
 *   `limits`; AnimateDiff from 128 (the issue: it aborts at 64×64).
 */

export const VIDEO_FAMILY_IDS = [
  "wan2.1-t2v",
  "wan2.1-i2v",
  "wan2.1-flf2v",
  "wan2.1-vace",
  "wan2.2-ti2v",
  "wan2.2-t2v-a14b",
  "wan2.2-i2v-a14b",
  "ltx2",
  "hunyuan-video",
  "lingbot-video",
  "animatediff",
] as const;
export type VideoFamilyId = (typeof VIDEO_FAMILY_IDS)[number];

/** Files a video model set holds beside its main model (sd-server flags in brackets). */
export type VideoCompanion =
  | "vae" // --vae
  | "t5xxl" // --t5xxl (umt5 for Wan, ByT5 for HunyuanVideo)
  | "llm" // --llm
  | "clip_vision" // --clip_vision
  | "high_noise_model" // --high-noise-diffusion-model
  | "motion_module" // --motion-module
  | "audio_vae" // --audio-vae
  | "embeddings_connectors"; // --embeddings-connectors

/** Whether a family takes a picture input: not at all, optionally, or only with it. */
export type InputUse = "no" | "optional" | "required";

export interface VideoFamily {
  id: VideoFamilyId;
  label: string;
  /** DiT families take the Speed choice (step caching, common/speed.ts); UNets here do not. */
  arch: "dit" | "unet";
  /** The family name common/speed.ts knows, for the cache plan. */
  speedFamily: string | null;
  companions: { role: VideoCompanion; required: boolean; hint: string }[];
  startImage: InputUse;
  endImage: InputUse;
  controlFrames: InputUse;
  /** Frame counts are `step·n + 1` (step 1: any count). */
  frameStep: number;
  maxFrames: number;
  /** Why frames are limited (shown beside the field). */
  framesReason: string;
  /** Width and height are multiples of this. */
  sizeMultiple: number;
  minSize: number;
  sizeReason: string;
  defaults: { width: number; height: number; frames: number; fps: number; steps: number; cfg_scale: number; sampler: string; flow_shift?: number };
  /** The upstream page with its files. */
  doc: string;
}

export const MAX_VIDEO_SIZE = 4096;
/** The app's own cap for DiT families (upstream has none; 241 frames is 10 s at 24 fps and already needs tens of GB). */
export const MAX_VIDEO_FRAMES = 241;
export const MAX_FPS = 60;

const WAN_VAE = "wan_2.1_vae";
const UMT5 = "umt5-xxl encoder";
const wanCore = (vae = WAN_VAE) => [
  { role: "vae" as const, required: true, hint: vae },
  { role: "t5xxl" as const, required: true, hint: UMT5 },
];
const CLIP_VISION = { role: "clip_vision" as const, required: true, hint: "clip_vision_h" };
const HIGH_NOISE = { role: "high_noise_model" as const, required: true, hint: "the A14B HighNoise model" };
const four = (multiple: number, blocks = `VAE ${multiple / 2} × patch 2`) => ({
  frameStep: 4,
  maxFrames: MAX_VIDEO_FRAMES,
  framesReason: "the engine makes 4n+1 frames (4 frames per latent step) and rounds other counts down",
  sizeMultiple: multiple,
  minSize: 64,
  sizeReason: `the engine works in ${multiple}-pixel blocks (${blocks}) and would round it up`,
});
const WAN_DEFAULTS = { width: 832, height: 480, frames: 33, fps: 16, steps: 20, cfg_scale: 6, sampler: "euler", flow_shift: 3 };
const A14B_DEFAULTS = { ...WAN_DEFAULTS, steps: 10, cfg_scale: 3.5 };
const wan = (id: VideoFamilyId, label: string, rest: Partial<VideoFamily>): VideoFamily => ({
  id,
  label,
  arch: "dit",
  speedFamily: "wan",
  companions: wanCore(),
  startImage: "no",
  endImage: "no",
  controlFrames: "no",
  ...four(16),
  defaults: WAN_DEFAULTS,
  doc: "docs/wan.md",
  ...rest,
});

export const VIDEO_FAMILIES: Record<VideoFamilyId, VideoFamily> = {
  "wan2.1-t2v": wan("wan2.1-t2v", "Wan 2.1 T2V (1.3B / 14B)", {}),
  "wan2.1-i2v": wan("wan2.1-i2v", "Wan 2.1 I2V 14B", { companions: [...wanCore(), CLIP_VISION], startImage: "required" }),
  "wan2.1-flf2v": wan("wan2.1-flf2v", "Wan 2.1 FLF2V 14B", { companions: [...wanCore(), CLIP_VISION], startImage: "required", endImage: "required" }),
  // VACE: -i is a reference picture, --control-video the frames to follow (docs/wan.md R2V, V2V).
  "wan2.1-vace": wan("wan2.1-vace", "Wan 2.1 VACE", { startImage: "optional", controlFrames: "optional" }),
  "wan2.2-ti2v": wan("wan2.2-ti2v", "Wan 2.2 TI2V 5B", {
    companions: wanCore("wan2.2_vae (its own VAE)"),
    startImage: "optional",
    ...four(32),
    defaults: { ...WAN_DEFAULTS, width: 480, height: 832 },
  }),
  "wan2.2-t2v-a14b": wan("wan2.2-t2v-a14b", "Wan 2.2 T2V A14B", { companions: [...wanCore(), HIGH_NOISE], defaults: A14B_DEFAULTS }),
  "wan2.2-i2v-a14b": wan("wan2.2-i2v-a14b", "Wan 2.2 I2V A14B", {
    companions: [...wanCore(), HIGH_NOISE],
    startImage: "required",
    endImage: "optional",
    defaults: { ...A14B_DEFAULTS, width: 480, height: 832 },
  }),
  ltx2: {
    id: "ltx2",
    label: "LTX-2",
    arch: "dit",
    speedFamily: null,
    companions: [
      { role: "vae", required: true, hint: "the LTX-2 video VAE" },
      { role: "audio_vae", required: true, hint: "the LTX-2 audio VAE" },
      { role: "llm", required: true, hint: "gemma-3-12b-it" },
      { role: "embeddings_connectors", required: true, hint: "the LTX-2 embeddings connectors" },
    ],
    startImage: "optional",
    endImage: "optional",
    controlFrames: "no",
    frameStep: 8,
    maxFrames: MAX_VIDEO_FRAMES,
    framesReason: "the engine makes 8n+1 frames (8 frames per latent step) and rounds other counts down",
    sizeMultiple: 32,
    minSize: 64,
    sizeReason: "the engine works in 32-pixel blocks (the LTX VAE) and would round it up",
    defaults: { width: 1280, height: 704, frames: 33, fps: 24, steps: 20, cfg_scale: 6, sampler: "euler" },
    doc: "docs/ltx2.md",
  },
  "hunyuan-video": {
    id: "hunyuan-video",
    label: "HunyuanVideo 1.5",
    arch: "dit",
    speedFamily: null,
    companions: [
      { role: "vae", required: true, hint: "hunyuanvideo15_vae" },
      { role: "llm", required: true, hint: "qwen_2.5_vl_7b" },
      { role: "t5xxl", required: true, hint: "byt5_small_glyphxl" },
    ],
    startImage: "no",
    endImage: "no",
    controlFrames: "no",
    ...four(16, "its VAE 16 × patch 1"),
    defaults: { width: 1280, height: 720, frames: 33, fps: 24, steps: 20, cfg_scale: 6, sampler: "euler" },
    doc: "docs/hunyuan_video.md",
  },
  "lingbot-video": {
    id: "lingbot-video",
    label: "Lingbot Video",
    arch: "dit",
    speedFamily: null,
    companions: [
      { role: "vae", required: true, hint: WAN_VAE },
      { role: "llm", required: true, hint: "Qwen3-VL 4B" },
    ],
    startImage: "optional",
    endImage: "no",
    controlFrames: "no",
    ...four(16),
    defaults: { width: 832, height: 480, frames: 33, fps: 16, steps: 20, cfg_scale: 6, sampler: "euler" },
    doc: "docs/lingbot_video.md",
  },
  animatediff: {
    id: "animatediff",
    label: "AnimateDiff (SD 1.5)",
    arch: "unet",
    speedFamily: null,
    companions: [{ role: "motion_module", required: true, hint: "mm_sd15_v3" }],
    startImage: "optional",
    endImage: "no",
    controlFrames: "no",
    frameStep: 1,
    maxFrames: 32,
    framesReason: "the motion module's position table holds 32 frames",
    sizeMultiple: 64,
    minSize: 128,
    sizeReason: "an SD 1.5 UNet works in 64-pixel blocks, and the engine aborts below 128×128",
    defaults: { width: 512, height: 512, frames: 16, fps: 8, steps: 20, cfg_scale: 8, sampler: "euler" },
    doc: "docs/animatediff.md",
  },
};

export function isVideoFamily(id: unknown): id is VideoFamilyId {
  return typeof id === "string" && (VIDEO_FAMILY_IDS as readonly string[]).includes(id);
}

/** The frame count the engine makes for a request of `frames` (the largest allowed count not above it, at least 1). */
export function snapFrames(family: VideoFamily, frames: number): number {
  const n = Math.max(1, Math.min(Math.floor(frames), family.maxFrames));
  return n - ((n - 1) % family.frameStep);
}

/** Seconds of video `frames` make at `fps` (one decimal). */
export function framesToSeconds(frames: number, fps: number): number {
  return fps > 0 ? Math.round((frames / fps) * 10) / 10 : 0;
}

/** The frame count closest to `seconds` at `fps` that the family allows. */
export function secondsToFrames(family: VideoFamily, seconds: number, fps: number): number {
  const wanted = Math.max(1, Math.round(seconds * fps));
  const below = snapFrames(family, wanted);
  const above = snapFrames(family, below + family.frameStep);
  return above - wanted < wanted - below ? above : below;
}

/** Why `frames` is not what the engine will make ("" when it is). */
export function framesNote(family: VideoFamily, frames: number): string {
  if (!Number.isFinite(frames) || frames < 1) return "at least 1 frame";
  if (frames > family.maxFrames) return `at most ${family.maxFrames}: ${family.framesReason}`;
  const made = snapFrames(family, frames);
  return made === frames ? "" : `makes ${made}: ${family.framesReason}`;
}

/** What is wrong with one side of the size ("" when nothing). */
export function sizeProblem(family: VideoFamily, px: number): string {
  if (!Number.isInteger(px)) return "a whole number of pixels";
  if (px < family.minSize || px > MAX_VIDEO_SIZE) return `${px} is outside ${family.minSize}–${MAX_VIDEO_SIZE}`;
  if (px % family.sizeMultiple) {
    const lower = Math.max(family.minSize, px - (px % family.sizeMultiple));
    return `${px} is not a multiple of ${family.sizeMultiple}: ${family.sizeReason}; use ${lower} or ${lower + family.sizeMultiple}`;
  }
  return "";
}

/** The fields of a request that a family does not take (they are dropped, not sent). */
export function unusedInputs(family: VideoFamily): ("init_image" | "end_image" | "control_frames")[] {
  const out: ("init_image" | "end_image" | "control_frames")[] = [];
  if (family.startImage === "no") out.push("init_image");
  if (family.endImage === "no") out.push("end_image");
  if (family.controlFrames === "no") out.push("control_frames");
  return out;
}
