/**
 * The stand-in's video half, as upstream sd-server does it at 97d2990:
 * - which modes the loaded model supports: a Wan diffusion model (told by its tensor names, as
 *   src/model_loader.cpp get_sd_version does) only vid_gen; an SD 1.x model img_gen, and vid_gen too
 *   with a `--motion-module` (src/stable-diffusion.cpp sd_version_supports_video_generation,
 *   sd_ctx_supports_video_generation, sd_version_supports_animatediff);
 * - `POST /sdcpp/v1/vid_gen` parsing: examples/server/routes_sdcpp.cpp parse_vid_gen_request
 *   (output_format default "webm"), examples/server/runtime.cpp assign_output_options (webm/webp only
 *   in builds with SD_USE_WEBM/SD_USE_WEBP, avi always; the refusal names the valid ones),
 *   examples/common/common.cpp SDGenerationParams::validate (video_frames and fps > 0);
 * - frames: the largest 4n+1 not above the request for Wan, as asked for AnimateDiff (capped at 32),
 *   with upstream's WARN line (stable-diffusion.cpp GenerationRequest, align_video_frames); sizes aligned
 *   up to the VAE factor × the model's down factor (align_image_size: 16 for Wan, 64 for SD 1.x).
 */
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { parseImgGen, type GenDefaults, type GenRequest } from "./request";

export interface LoadedModel {
  /** model_version_to_str of the loaded model. */
  version: "Wan 2.x" | "SD 1.x";
  img: boolean;
  vid: boolean;
  animatediff: boolean;
  /** align_image_size's multiple: vae scale factor × diffusion model down factor. */
  sizeMultiple: number;
}

/** Tensor names of a .safetensors file (its JSON header), or [] when it is not one. */
function safetensorNames(path: string): string[] {
  if (!existsSync(path)) return [];
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(8);
    if (readSync(fd, head, 0, 8, 0) < 8) return [];
    const size = Number(head.readBigUInt64LE(0));
    if (size <= 0 || size > 64 * 1024 * 1024) return [];
    const json = Buffer.alloc(size);
    readSync(fd, json, 0, size, 8);
    return Object.keys(JSON.parse(json.toString("utf8")) as object);
  } catch {
    return [];
  } finally {
    closeSync(fd);
  }
}

/** What the loaded model can do (the stand-in knows two families: Wan and SD 1.x). */
export function loadedModel(diffusionModel: string | undefined, motionModule: string | undefined): LoadedModel {
  // A standalone diffusion model's names get "model.diffusion_model." in front (stable-diffusion.cpp init_from_file).
  const names = diffusionModel ? safetensorNames(diffusionModel) : [];
  if (names.some((n) => n.endsWith("blocks.0.cross_attn.norm_k.weight"))) return { version: "Wan 2.x", img: false, vid: true, animatediff: false, sizeMultiple: 16 };
  return { version: "SD 1.x", img: true, vid: !!motionModule, animatediff: !!motionModule, sizeMultiple: 64 };
}

/** runtime.cpp supported_vid_output_formats: webm, webp (when built with them), then avi. */
export function videoFormats(build: string[]): string[] {
  return ["webm", "webp", "avi"].filter((f) => f === "avi" || build.includes(f));
}

/** runtime.cpp video_mime_type. */
export const videoMime = (format: string) => (format === "webm" ? "video/webm" : format === "webp" ? "image/webp" : "video/x-msvideo");

export interface VideoParams {
  requestedFrames: number;
  frames: number;
  fps: number;
  outputFormat: string;
  compression: number;
  /** high_noise_sample_params.sample_steps when a high-noise model is loaded (else 0: no high-noise pass). */
  highNoiseSteps: number;
  /** align_image_size's WARN, when the size was aligned up. */
  alignedFrom?: { width: number; height: number };
}

type Parsed = { ok: true; request: GenRequest & { video: VideoParams } } | { ok: false; error: string; log?: string; at?: string };

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const obj = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export interface VideoDefaults extends GenDefaults {
  videoFrames: number;
  fps: number;
}

/** parse_vid_gen_request: the shared fields as for img_gen, then output options, then frames and fps. */
export function parseVidGen(body: unknown, defaults: VideoDefaults, loraDir: string, model: LoadedModel, build: string[], highNoise: boolean): Parsed {
  if (!body || typeof body !== "object" || Array.isArray(body)) return { ok: false, error: "invalid generation parameters" };
  const b = body as Record<string, unknown>;
  const outputFormat = (typeof b.output_format === "string" ? b.output_format : "webm").toLowerCase();
  // The shared fields go through the img_gen parser (no batch, no output format: vid_gen has neither).
  const { output_format: _f, batch_count: _b, ...shared } = b;
  const base = parseImgGen(shared, defaults, loraDir);
  if (!base.ok) return base;
  if (!videoFormats(build).includes(outputFormat)) return { ok: false, error: `invalid output_format, must be one of [${videoFormats(build).join(", ")}]` };
  const compression = Math.min(100, Math.max(0, Math.floor(num(b.output_compression) ?? 100)));
  const requestedFrames = Math.floor(num(b.video_frames) ?? defaults.videoFrames);
  const fps = Math.floor(num(b.fps) ?? defaults.fps);
  if (requestedFrames <= 0 || fps <= 0) return { ok: false, error: "invalid generation parameters" };
  const frames = model.animatediff ? Math.min(32, requestedFrames) : Math.floor((requestedFrames - 1) / 4) * 4 + 1;
  const hn = obj(b.high_noise_sample_params);
  const highNoiseSteps = highNoise ? Math.floor(num(hn.sample_steps) ?? -1) : 0;
  // parseImgGen rounds sizes up to 64 (the SD 1.x multiple); a video model aligns to its own multiple.
  const width = alignUp(num(b.width) ?? defaults.width, model.sizeMultiple);
  const height = alignUp(num(b.height) ?? defaults.height, model.sizeMultiple);
  const asked = { width: num(b.width) ?? defaults.width, height: num(b.height) ?? defaults.height };
  const video: VideoParams = {
    requestedFrames,
    frames,
    fps,
    outputFormat,
    compression,
    // sample_steps -1 = auto: upstream splits the steps at moe_boundary; the stand-in gives the high-noise pass half.
    highNoiseSteps: highNoiseSteps < 0 ? Math.ceil(base.request.steps / 2) : highNoiseSteps,
    ...(width !== asked.width || height !== asked.height ? { alignedFrom: asked } : {}),
  };
  return { ok: true, request: { ...base.request, width, height, batchCount: 1, outputFormat, video } };
}

const alignUp = (n: number, m: number) => Math.ceil(n / m) * m;
