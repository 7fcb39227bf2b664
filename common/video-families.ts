/**
 * The video model families the Video tab offers, and what each one takes:
 * companion files, inputs, sizes, frame counts. Browser-safe (the Video tab
 * imports it). Facts from upstream at the pinned commit 97d2990:
 * - files and flags: docs/wan.md, docs/ltx2.md, docs/hunyuan_video.md, docs/lingbot_video.md, docs/animatediff.md;
 * - frame counts: src/stable-diffusion.cpp `align_video_frames` (Wan, Lingbot and HunyuanVideo 4n+1 — their
 *   VAE packs 4 frames per latent frame —, LTX 8n+1, AnimateDiff as asked);
 * - the family names: src/model_loader.cpp get_sd_version (WAN2, WAN2_2_I2V, WAN2_2_TI2V, LTXAV,
 *   HUNYUAN_VIDEO, LINGBOT_VIDEO) refined by models/video-family.ts.
 * Size steps: the VAE's spatial factor × the DiT's patch size (Wan2.1 8×2 = 16, Wan2.2 TI2V 5B's own VAE
 * 16×2 = 32, LTX 32×1); AnimateDiff is an SD 1.5 UNet (64-pixel steps as the image tab) and aborts below
 * 128×128 on the pinned CPU build (a GGML_ASSERT, tried by hand: issue 22). Frame and size maxima are
 * the app's own bounds (memory grows with frames × pixels), not the models'.
 */

export const VIDEO_FAMILIES = [
  "wan2.1-t2v",
  "wan2.1-i2v",
  "wan2.1-flf2v",
  "wan2.1-vace",
  "wan2.2-ti2v-5b",
  "wan2.2-t2v-a14b",
  "wan2.2-i2v-a14b",
  "ltx2",
  "hunyuan-video-1.5",
  "lingbot",
  "animatediff",
] as const;
export type VideoFamilyId = (typeof VIDEO_FAMILIES)[number];

/** A file or input a family needs ("required"), may take ("optional") or ignores ("no"). */
export type Need = "required" | "optional" | "no";

/** How the engine turns a requested frame count into the one it makes (align_video_frames). */
export type FrameRule = "4n+1" | "8n+1" | "any";

export interface VideoFamily {
  id: VideoFamilyId;
  label: string;
  /** The upstream doc its files and flags come from. */
  doc: string;
  /** What `model` is: a diffusion model (models/diffusion_models) or an SD 1.5 checkpoint (models/stable-diffusion). */
  model: "diffusion_model" | "checkpoint";
  files: {
    vae: Need;
    /** umt5/t5 (--t5xxl) or an LLM encoder (--llm), in `text_encoders`. */
    text_encoders: Need;
    clip_vision: Need;
    high_noise_model: Need;
    motion_module: Need;
    audio_vae: Need;
    embeddings_connectors: Need;
  };
  inputs: { start_image: Need; end_image: Need; control_frames: Need };
  size: { step: number; min: number; max: number; width: number; height: number };
  frames: { rule: FrameRule; min: number; max: number; default: number };
  fps: number;
  /** A DiT (Speed's step caching applies as for image DiTs) or a UNet (AnimateDiff). */
  dit: boolean;
}

const files = (over: Partial<VideoFamily["files"]> = {}): VideoFamily["files"] => ({
  vae: "required",
  text_encoders: "required",
  clip_vision: "no",
  high_noise_model: "no",
  motion_module: "no",
  audio_vae: "no",
  embeddings_connectors: "no",
  ...over,
});
const inputs = (over: Partial<VideoFamily["inputs"]> = {}): VideoFamily["inputs"] => ({
  start_image: "no",
  end_image: "no",
  control_frames: "no",
  ...over,
});
const wanSize = { step: 16, min: 64, max: 1280, width: 832, height: 480 };
const wanFrames = { rule: "4n+1" as const, min: 1, max: 121, default: 33 };

const TABLE: VideoFamily[] = [
  { id: "wan2.1-t2v", label: "Wan 2.1 text to video", doc: "docs/wan.md", model: "diffusion_model", files: files(), inputs: inputs(),
    size: wanSize, frames: wanFrames, fps: 16, dit: true },
  { id: "wan2.1-i2v", label: "Wan 2.1 image to video", doc: "docs/wan.md", model: "diffusion_model", files: files({ clip_vision: "required" }),
    inputs: inputs({ start_image: "required" }), size: wanSize, frames: wanFrames, fps: 16, dit: true },
  { id: "wan2.1-flf2v", label: "Wan 2.1 first and last frame to video", doc: "docs/wan.md", model: "diffusion_model",
    files: files({ clip_vision: "required" }), inputs: inputs({ start_image: "required", end_image: "required" }), size: wanSize,
    frames: wanFrames, fps: 16, dit: true },
  { id: "wan2.1-vace", label: "Wan 2.1 VACE (video control)", doc: "docs/wan.md", model: "diffusion_model", files: files(),
    inputs: inputs({ start_image: "optional", control_frames: "optional" }), size: wanSize, frames: wanFrames, fps: 16, dit: true },
  { id: "wan2.2-ti2v-5b", label: "Wan 2.2 TI2V 5B (text or image to video)", doc: "docs/wan.md", model: "diffusion_model", files: files(),
    inputs: inputs({ start_image: "optional" }), size: { step: 32, min: 64, max: 1280, width: 480, height: 832 }, frames: wanFrames, fps: 16,
    dit: true },
  { id: "wan2.2-t2v-a14b", label: "Wan 2.2 T2V A14B (high + low noise)", doc: "docs/wan.md", model: "diffusion_model",
    files: files({ high_noise_model: "required" }), inputs: inputs(), size: wanSize, frames: wanFrames, fps: 16, dit: true },
  { id: "wan2.2-i2v-a14b", label: "Wan 2.2 I2V A14B (high + low noise)", doc: "docs/wan.md", model: "diffusion_model",
    files: files({ high_noise_model: "required" }), inputs: inputs({ start_image: "required" }), size: wanSize, frames: wanFrames, fps: 16,
    dit: true },
  { id: "ltx2", label: "LTX-2", doc: "docs/ltx2.md", model: "diffusion_model",
    files: files({ audio_vae: "optional", embeddings_connectors: "required" }), inputs: inputs({ start_image: "optional" }),
    size: { step: 32, min: 64, max: 1280, width: 768, height: 512 }, frames: { rule: "8n+1", min: 1, max: 121, default: 33 }, fps: 24,
    dit: true },
  { id: "hunyuan-video-1.5", label: "HunyuanVideo 1.5", doc: "docs/hunyuan_video.md", model: "diffusion_model", files: files(),
    inputs: inputs({ start_image: "optional" }), size: wanSize, frames: wanFrames, fps: 24,
    dit: true },
  { id: "lingbot", label: "Lingbot Video", doc: "docs/lingbot_video.md", model: "diffusion_model", files: files(), inputs: inputs(),
    size: wanSize, frames: wanFrames, fps: 16, dit: true },
  { id: "animatediff", label: "AnimateDiff (SD 1.5 + motion module)", doc: "docs/animatediff.md", model: "checkpoint",
    files: files({ vae: "optional", text_encoders: "no", motion_module: "required" }), inputs: inputs({ start_image: "optional" }),
    size: { step: 64, min: 128, max: 768, width: 512, height: 512 }, frames: { rule: "any", min: 1, max: 32, default: 16 }, fps: 8, dit: false },
];

export const VIDEO_FAMILY: Readonly<Record<VideoFamilyId, VideoFamily>> = Object.fromEntries(TABLE.map((f) => [f.id, f])) as Record<
  VideoFamilyId,
  VideoFamily
>;

/** The frame count the engine makes for a requested one (upstream align_video_frames): the largest 4n+1 (8n+1) not above it. */
export function alignFrames(rule: FrameRule, requested: number): number {
  const n = Math.max(1, Math.floor(requested));
  if (rule === "4n+1") return Math.floor((n - 1) / 4) * 4 + 1;
  if (rule === "8n+1") return Math.floor((n - 1) / 8) * 8 + 1;
  return n;
}

/** "33 frames at 16 fps = 2.06 s": what the Video tab shows beside the frames field. */
export function framesNote(rule: FrameRule, requested: number, fps: number): string {
  const made = alignFrames(rule, requested);
  const seconds = (made / Math.max(1, fps)).toFixed(2);
  const snapped = made === requested ? "" : ` (the engine makes ${rule === "4n+1" ? "4n+1" : "8n+1"} frames: ${requested} → ${made})`;
  return `${made} frames at ${fps} fps = ${seconds} s${snapped}`;
}
