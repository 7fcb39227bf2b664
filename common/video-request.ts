/**
 * The video request (`POST /api/videos`): one zod schema shared by the API,
 * the queue's video kind and the Video tab (browser-safe). Field names follow
 * the image request (image-request.ts) where they mean the same; the video
 * ones follow upstream's vid_gen body (examples/server/api.md at 97d2990).
 * A video task is stored in the queue as an image-shaped request with a
 * `video` field (`VideoSettings`): `toQueuedRequest` / `fromQueuedRequest`.
 * What a family takes (files, inputs, sizes, frames) is checked at submit
 * against common/video-families.ts once the model's family is known.
 */
import { z } from "zod";
import { imageDataSchema, loraSchema, MAX_PROMPT_LENGTH, MAX_SEED, modelPath, SAMPLERS, SCHEDULERS, type ResolvedRequest } from "./image-request";
import { SPEEDS } from "./speed";

export const MIN_VIDEO_SIZE = 64;
export const MAX_VIDEO_SIZE = 1280;
/** Frames one request may ask for (the engine's own limit is memory). */
export const MAX_VIDEO_FRAMES = 121;
export const MAX_CONTROL_FRAMES = 121;
/** Width × height × frames one task may make (e.g. 121 frames at 832×480 ≈ 48 M). */
export const MAX_VIDEO_PIXELS = 121 * 832 * 480;
/** Containers the app saves: WebM (VP8/VP9 from the engine) or animated WebP; AVI is converted to WebP first. */
export const VIDEO_FORMATS = ["webm", "webp"] as const;
export type VideoFormat = (typeof VIDEO_FORMATS)[number];
export const VIDEO_MIME: Record<VideoFormat, string> = { webm: "video/webm", webp: "image/webp" };

const image = imageDataSchema;

const size = z
  .number()
  .int("must be a whole number of pixels")
  .superRefine((n, ctx) => {
    if (n < MIN_VIDEO_SIZE || n > MAX_VIDEO_SIZE) ctx.addIssue({ code: "custom", message: `${n} is outside ${MIN_VIDEO_SIZE}–${MAX_VIDEO_SIZE} pixels` });
    else if (n % 16 !== 0) ctx.addIssue({ code: "custom", message: `${n} is not a multiple of 16 (video models work in 16-pixel blocks or more)` });
  });

/** The second (high-noise) pass of Wan 2.2 A14B (upstream `high_noise_sample_params`); absent fields follow the main pass. */
export const highNoiseSchema = z.strictObject({
  steps: z.number().int().min(1).max(100).optional(),
  cfg_scale: z.number().min(0).max(30).optional(),
  sampler: z.enum(SAMPLERS).optional(),
  scheduler: z.enum(SCHEDULERS).optional(),
});

export const videoRequestFields = z.strictObject({
  prompt: z.string().max(MAX_PROMPT_LENGTH, `is longer than ${MAX_PROMPT_LENGTH} characters`),
  negative_prompt: z.string().max(MAX_PROMPT_LENGTH, `is longer than ${MAX_PROMPT_LENGTH} characters`).default(""),
  seed: z.union([z.number().int().min(0).max(MAX_SEED), z.literal(-1), z.literal("random")]).default("random"),
  steps: z.number().int().min(1).max(100, "at most 100 (the engine's limit)").default(20),
  cfg_scale: z.number().min(0).max(30).default(6),
  sampler: z.enum(SAMPLERS, { error: (i) => `unknown sampler ${JSON.stringify(i.input)}; one of ${SAMPLERS.join(", ")}` }).optional(),
  scheduler: z.enum(SCHEDULERS, { error: (i) => `unknown scheduler ${JSON.stringify(i.input)}; one of ${SCHEDULERS.join(", ")}` }).optional(),
  /** Wan's flow shift (docs/wan.md uses 3.0); absent: the engine's default. */
  flow_shift: z.number().min(0).max(100).optional(),
  width: size.default(832),
  height: size.default(480),
  /** Frames asked for; the engine makes the largest 4n+1 (Wan, Lingbot, Hunyuan) or 8n+1 (LTX) not above it. */
  frames: z.number().int().min(1).max(MAX_VIDEO_FRAMES, `at most ${MAX_VIDEO_FRAMES} frames`).default(33),
  /** Playback speed written into the file. */
  fps: z.number().int().min(1).max(60).default(16),
  /** The low-noise / only diffusion model (models/diffusion_models) or, for AnimateDiff, an SD 1.5 checkpoint (models/stable-diffusion). */
  model: modelPath,
  /** Wan 2.2 A14B's high-noise model (models/diffusion_models; --high-noise-diffusion-model). */
  high_noise_model: modelPath.optional(),
  vae: modelPath.optional(),
  /** models/text_encoders: umt5/t5 (--t5xxl) or an LLM encoder (--llm), told apart by name as for images. */
  text_encoders: z.array(modelPath).max(4).default([]),
  /** models/clip_vision (Wan 2.1 I2V/FLF2V: clip_vision_h; --clip_vision). */
  clip_vision: modelPath.optional(),
  /** models/animatediff (AnimateDiff's motion module; --motion-module). */
  motion_module: modelPath.optional(),
  /** models/vae (LTX-2's audio VAE; --audio-vae). */
  audio_vae: modelPath.optional(),
  /** models/text_encoders (LTX-2's embeddings connectors; --embeddings-connectors). */
  embeddings_connectors: modelPath.optional(),
  loras: z.array(loraSchema.extend({ high_noise: z.boolean().default(false) })).max(20).default([]),
  /** The first frame (I2V, TI2V, FLF2V; AnimateDiff's init image). */
  start_image: image.optional(),
  /** The last frame (FLF2V). */
  end_image: image.optional(),
  /** VACE's control video, one picture per frame, in order. */
  control_frames: z.array(image).max(MAX_CONTROL_FRAMES).default([]),
  /** How far the video may leave the start image (AnimateDiff img2video). */
  strength: z.number().min(0).max(1).default(0.75),
  high_noise: highNoiseSchema.optional(),
  /** Wan 2.2 A14B: where sampling moves from the high-noise to the low-noise model (upstream default 0.875). */
  moe_boundary: z.number().min(0).max(1).optional(),
  vace_strength: z.number().min(0).max(2).optional(),
  vae_tiling: z.boolean().default(false),
  speed: z.enum(SPEEDS, { error: `must be one of ${SPEEDS.join(", ")}` }).optional(),
  /** The container wanted; absent: the best the engine offers (webm, then webp). AVI is never saved (converted to webp). */
  output_format: z.enum(VIDEO_FORMATS).optional(),
});

function checkVideo(r: z.output<typeof videoRequestFields>, ctx: z.RefinementCtx): void {
  if (r.end_image && !r.start_image) ctx.addIssue({ code: "custom", path: ["end_image"], message: "needs a start_image (first and last frame)" });
  const pixels = r.width * r.height * r.frames;
  if (pixels > MAX_VIDEO_PIXELS)
    ctx.addIssue({
      code: "custom",
      path: ["frames"],
      message: `${r.frames} frames of ${r.width}×${r.height} is ${(pixels / 1e6).toFixed(1)} M pixels; at most ${(MAX_VIDEO_PIXELS / 1e6).toFixed(1)} M`,
    });
}

export const videoRequestSchema = videoRequestFields.superRefine(checkVideo);
/** `POST /api/videos`: the request, and `incognito: true` to keep the task and its video in memory only. */
export const videoBodySchema = videoRequestFields.extend({ incognito: z.boolean().optional() }).superRefine(checkVideo);

export type VideoRequestInput = z.input<typeof videoRequestSchema>;
export type VideoRequest = z.output<typeof videoRequestSchema>;

/** What a queued video task carries besides the image-shaped fields (`ResolvedRequest.video`). */
export interface VideoSettings {
  frames: number;
  fps: number;
  flow_shift?: number;
  high_noise_model?: string;
  clip_vision?: string;
  motion_module?: string;
  audio_vae?: string;
  embeddings_connectors?: string;
  end_image?: string;
  control_frames: string[];
  high_noise?: z.output<typeof highNoiseSchema>;
  moe_boundary?: number;
  vace_strength?: number;
  /** LoRAs that apply to the high-noise model only (their names). */
  high_noise_loras?: string[];
  output_format?: VideoFormat;
}

/** A video request as the queue stores it: the seed chosen, the start image as `init_image`, the rest under `video`. */
export function toQueuedRequest(r: VideoRequest, seed: number): ResolvedRequest & { video: VideoSettings } {
  const video: VideoSettings = {
    frames: r.frames,
    fps: r.fps,
    control_frames: r.control_frames,
    ...pick(r, ["flow_shift", "high_noise_model", "clip_vision", "motion_module", "audio_vae", "embeddings_connectors", "end_image"]),
    ...pick(r, ["high_noise", "moe_boundary", "vace_strength", "output_format"]),
  };
  const highNoise = r.loras.filter((l) => l.high_noise).map((l) => l.name);
  if (highNoise.length) video.high_noise_loras = highNoise;
  return {
    prompt: r.prompt,
    negative_prompt: r.negative_prompt,
    seed,
    steps: r.steps,
    cfg_scale: r.cfg_scale,
    ...pick(r, ["sampler", "scheduler", "vae", "speed"]),
    width: r.width,
    height: r.height,
    num_images: 1,
    model: r.model,
    text_encoders: r.text_encoders,
    loras: r.loras.map((l) => ({ name: l.name, weight: l.weight })),
    ...(r.start_image ? { init_image: r.start_image } : {}),
    strength: r.strength,
    ref_images: [],
    control_strength: 0.9,
    vae_tiling: r.vae_tiling,
    tiling: "none",
    output_format: "png",
    video,
  };
}

/** The video request back from a queued task (Reuse settings, the video's info): the inverse of toQueuedRequest. */
export function fromQueuedRequest(q: ResolvedRequest & { video: VideoSettings }): VideoRequest {
  const v = q.video;
  const highNoise = new Set(v.high_noise_loras ?? []);
  return {
    prompt: q.prompt,
    negative_prompt: q.negative_prompt,
    seed: q.seed,
    steps: q.steps,
    cfg_scale: q.cfg_scale,
    ...pick(q, ["sampler", "scheduler", "vae", "speed"]),
    width: q.width,
    height: q.height,
    frames: v.frames,
    fps: v.fps,
    model: q.model,
    text_encoders: q.text_encoders,
    loras: q.loras.map((l) => ({ ...l, high_noise: highNoise.has(l.name) })),
    ...(q.init_image ? { start_image: q.init_image } : {}),
    strength: q.strength,
    control_frames: v.control_frames,
    vae_tiling: q.vae_tiling,
    ...pick(v, ["flow_shift", "high_noise_model", "clip_vision", "motion_module", "audio_vae", "embeddings_connectors", "end_image"]),
    ...pick(v, ["high_noise", "moe_boundary", "vace_strength", "output_format"]),
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** A saved video as the API shows it (task view `videos`, the `task.video` event, `GET /api/videos`). */
export interface VideoRef {
  id: string;
  /** The file: `GET /api/videos/{id}` (Range requests answered). */
  url: string;
  /** The first frame as PNG: `GET /api/videos/{id}/poster`. */
  poster_url: string;
  format: VideoFormat;
  mime: string;
  width: number;
  height: number;
  fps: number;
  frame_count: number;
  /** Seconds: frame_count / fps. */
  duration: number;
  seed: number;
  bytes: number;
  /** Set when the engine offered only AVI (MJPG) and the app made the WebP from its frames. */
  converted_from?: "avi";
}

export const videoUrl = (id: string) => `/api/videos/${id}`;
export const videoPosterUrl = (id: string) => `/api/videos/${id}/poster`;
