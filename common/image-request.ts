/**
 * The image request: one zod schema shared by the API, the queue and the
 * Image workspace (browser-safe: no Node imports). Field names are the ones
 * Easy Diffusion and A1111 users know; translate.ts maps them to sd-server.
 * Invalid input is explained, never silently changed (sd-server itself would
 * round sizes up and clamp steps without saying so).
 */
import { z } from "zod";
import { imageProblem } from "./image-data";
import { extractLoraTags, mergeLoras } from "./lora-tags";
import { SPEEDS, type SpeedPlan } from "./speed";
import type { VideoSettings } from "./video-request";

/** sd-server's samplers and schedulers (engine contract, capabilities.json). */
export const SAMPLERS = [
  "euler", "euler_a", "heun", "dpm2", "dpm++2s_a", "dpm++2m", "dpm++2mv2", "ipndm", "ipndm_v", "lcm",
  "ddim_trailing", "tcd", "res_multistep", "res_2s", "er_sde", "euler_cfg_pp", "euler_a_cfg_pp", "euler_ge",
  "dpm++2m_sde", "dpm++2m_sde_bt", "lms",
] as const;
export const SCHEDULERS = [
  "discrete", "normal", "karras", "exponential", "ays", "gits", "sgm_uniform", "simple", "smoothstep",
  "kl_optimal", "lcm", "bong_tangent", "ltx2", "logit_normal", "flux2", "flux", "beta",
] as const;
export const OUTPUT_FORMATS = ["png", "jpeg", "webp"] as const;
export const HIRES_UPSCALERS = [
  "Latent", "Latent (nearest)", "Latent (nearest-exact)", "Latent (antialiased)", "Latent (bicubic)",
  "Latent (bicubic antialiased)", "Lanczos", "Nearest",
] as const;

export const MAX_PROMPT_LENGTH = 10_000;
export const MIN_SIZE = 64;
export const MAX_SIZE = 4096;
export const MAX_SEED = 2 ** 32 - 1;
/** Output pixels one task may ask for, all its images together (e.g. 8 at 2048×2048, or 2 at 4096×4096). */
export const MAX_PIXELS_PER_TASK = 8 * 2048 * 2048;
/** Base64 of about 48 MB of image: anything bigger is a mistake, not a picture. */
const MAX_IMAGE_CHARS = 64 * 1024 * 1024;

const size = z
  .number()
  .int("must be a whole number of pixels")
  .superRefine((n, ctx) => {
    if (n < MIN_SIZE || n > MAX_SIZE) ctx.addIssue({ code: "custom", message: `${n} is outside ${MIN_SIZE}–${MAX_SIZE} pixels` });
    else if (n % 64 !== 0) {
      const down = Math.max(MIN_SIZE, Math.floor(n / 64) * 64);
      const up = Math.min(MAX_SIZE, Math.ceil(n / 64) * 64);
      ctx.addIssue({ code: "custom", message: `${n} is not a multiple of 64 (the engine works in 64-pixel blocks); use ${down} or ${up}` });
    }
  });

/** A model file named by its path relative to its kind's folder: no absolute paths, no `..`. */
export const modelPath = z
  .string()
  .min(1, "must name a model file")
  .max(1024)
  .refine((p) => !/^([\\/]|[a-zA-Z]:)/.test(p), "must be relative to its model folder, not an absolute path")
  .refine((p) => !p.split(/[\\/]/).includes(".."), "must not leave its model folder (no ..)")
  .refine((p) => !p.includes("\0"), "must not contain NUL");

const image = z
  .string()
  .max(MAX_IMAGE_CHARS, "image is too large (over 48 MB)")
  .superRefine((v, ctx) => {
    const problem = imageProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** A picture in a request (base64 or a data URL of a PNG, JPEG or WebP); also the video request's frames. */
export const imageDataSchema = image;

export const loraSchema = z.object({
  name: modelPath,
  weight: z.number().min(-10).max(10).default(1),
});

/** Upscale post-step: each finished picture is also upscaled with this ESRGAN model (models/realesrgan) and saved beside it. */
export const upscaleSchema = z.object({
  factor: z.union([z.literal(2), z.literal(4)], { error: "must be 2 or 4" }),
  model: modelPath,
});

export const hiresSchema = z.object({
  scale: z.number().min(1).max(4).default(2),
  upscaler: z.string().min(1).max(200).default("Latent"),
  /** Second-pass steps; 0 reuses `steps`. */
  steps: z.number().int().min(0).max(100).default(0),
  denoising_strength: z.number().min(0).max(1).default(0.7),
  /** Exact target size instead of `scale` (both or neither). */
  width: size.optional(),
  height: size.optional(),
});

const fields = {
  prompt: z.string().max(MAX_PROMPT_LENGTH, `is longer than ${MAX_PROMPT_LENGTH} characters`),
  negative_prompt: z.string().max(MAX_PROMPT_LENGTH, `is longer than ${MAX_PROMPT_LENGTH} characters`).default(""),
  /** A number, or "random"/-1 for a new one; the seed actually used is recorded on the task. */
  seed: z.union([z.number().int().min(0).max(MAX_SEED), z.literal(-1), z.literal("random")]).default("random"),
  steps: z.number().int().min(1).max(100, "at most 100 (the engine's limit)").default(20),
  cfg_scale: z.number().min(0).max(30).default(7),
  /** Distilled guidance for Flux/Chroma-type models. */
  guidance: z.number().min(0).max(100).optional(),
  sampler: z.enum(SAMPLERS, { error: (i) => `unknown sampler ${JSON.stringify(i.input)}; one of ${SAMPLERS.join(", ")}` }).optional(),
  scheduler: z.enum(SCHEDULERS, { error: (i) => `unknown scheduler ${JSON.stringify(i.input)}; one of ${SCHEDULERS.join(", ")}` }).optional(),
  width: size.default(512),
  height: size.default(512),
  clip_skip: z.number().int().min(1).max(12).optional(),
  num_images: z.number().int().min(1).max(8, "at most 8 per task").default(1),
  /** Checkpoint under models/stable-diffusion/, or a diffusion model under models/diffusion_models/. */
  model: modelPath,
  vae: modelPath.optional(),
  /** Files under models/text_encoders/ (clip_l, clip_g, t5xxl or an LLM encoder, told apart by name). */
  text_encoders: z.array(modelPath).max(4).default([]),
  loras: z.array(loraSchema).max(20).default([]),
  init_image: image.optional(),
  strength: z.number().min(0).max(1).default(0.75),
  mask: image.optional(),
  ref_images: z.array(image).max(8).default([]),
  control_image: image.optional(),
  controlnet: modelPath.optional(),
  control_strength: z.number().min(0).max(2).default(0.9),
  hires: hiresSchema.optional(),
  upscale: upscaleSchema.optional(),
  vae_tiling: z.boolean().default(false),
  /** Seamless tiling (circular padding) on both axes, or only x or y; needs an engine restart, so it is part of the model set. */
  tiling: z.enum(["none", "xy", "x", "y"]).default("none"),
  /** Step caching: quality (none), balanced or fast; chosen per model family (speed.ts). Defaults to the engine.speed setting. */
  speed: z.enum(SPEEDS, { error: `must be one of ${SPEEDS.join(", ")}` }).optional(),
  /** Defaults to the outputs.format setting. */
  output_format: z.enum(OUTPUT_FORMATS).optional(),
  output_quality: z.number().int().min(1).max(100).optional(),
};

/** The fields as typed (before defaults), e.g. for the Image workspace's form state. */
export const imageRequestFields = z.strictObject(fields);

/** The size of each finished picture: the hires pass's result when there is one. */
type Sized = { width?: number; height?: number };

export function outputSize(r: Sized & { hires?: Sized & { scale?: number } }): { width: number; height: number } {
  const width = r.width ?? 512;
  const height = r.height ?? 512;
  if (!r.hires) return { width, height };
  if (r.hires.width !== undefined && r.hires.height !== undefined) return { width: r.hires.width, height: r.hires.height };
  const scale = r.hires.scale ?? 2;
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/** Validates a request and moves `<lora:…>` prompt tags into `loras`. */
export const imageRequestSchema = imageRequestFields
  .superRefine((r, ctx) => {
    if (r.mask && !r.init_image) ctx.addIssue({ code: "custom", path: ["mask"], message: "needs an init_image to paint on" });
    if (r.controlnet && !r.control_image) ctx.addIssue({ code: "custom", path: ["control_image"], message: "is needed when a controlnet is chosen" });
    if (r.control_image && !r.controlnet) ctx.addIssue({ code: "custom", path: ["controlnet"], message: "is needed when a control_image is given" });
    if (r.hires && (r.hires.width === undefined) !== (r.hires.height === undefined))
      ctx.addIssue({ code: "custom", path: ["hires"], message: "give both width and height, or neither (then scale is used)" });
    const out = outputSize(r);
    if (r.hires && (out.width > MAX_SIZE || out.height > MAX_SIZE))
      ctx.addIssue({ code: "custom", path: ["hires"], message: `the result would be ${out.width}×${out.height}; at most ${MAX_SIZE} pixels per side` });
    const pixels = out.width * out.height * r.num_images;
    if (pixels > MAX_PIXELS_PER_TASK)
      ctx.addIssue({
        code: "custom",
        path: ["num_images"],
        message:
          `${r.num_images} × ${out.width}×${out.height} is ${(pixels / 1e6).toFixed(1)} megapixels; ` +
          `one task may make at most ${(MAX_PIXELS_PER_TASK / 1e6).toFixed(1)} (e.g. 8 at 2048×2048): split it into several tasks`,
      });
  })
  .transform((r) => {
    const tags = extractLoraTags(r.prompt);
    const negTags = extractLoraTags(r.negative_prompt);
    return {
      ...r,
      prompt: tags.prompt,
      negative_prompt: negTags.loras.length ? negTags.prompt : r.negative_prompt,
      loras: mergeLoras(r.loras, [...tags.loras, ...negTags.loras]),
    };
  });

export type ImageRequestInput = z.input<typeof imageRequestSchema>;
export type ImageRequest = z.output<typeof imageRequestSchema>;
/** A request as stored on a task: the seed is the one used. */
export type ResolvedRequest = Omit<ImageRequest, "seed" | "output_format"> & {
  seed: number;
  output_format: (typeof OUTPUT_FORMATS)[number];
  /** Set only on an upscale task (POST /api/upscale): the picture to upscale; the other fields are its settings. */
  upscale_of?: UpscaleSource;
  /** Set only in an upscaled picture's metadata: what was done. */
  upscaled?: UpscaledNote;
  /** Set only on a video task (POST /api/videos, common/video-request.ts): frames, fps and the video-only files and inputs. */
  video?: VideoSettings;
  /** Set only in a picture's metadata: the step caching that ran (speed.ts speedPlan), and what the engine said it reused. */
  cache?: Omit<SpeedPlan, "speed"> & { reused?: string };
};

export interface UpscaleSource {
  /** An output picture, read when the task runs. */
  image_id?: string;
  /** An uploaded picture (base64); never written into metadata. */
  image?: string;
  /** How the metadata names the source (its file name, or "an uploaded picture"). */
  label: string;
  width: number;
  height: number;
}

export interface UpscaledNote {
  factor: 2 | 4;
  model: string;
  from: string;
  from_size: string;
  /** "Upscaled ×4 with RealESRGAN_x4plus from <source>". */
  note: string;
}

export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/** Fills what the server decides at submit time: the random seed and the default format. */
export function resolveRequest(r: ImageRequest, defaults: { format: ResolvedRequest["output_format"]; quality: number }): ResolvedRequest {
  const seed = r.seed === "random" || r.seed === -1 ? randomSeed() : r.seed;
  const output_format = r.output_format ?? defaults.format;
  const output_quality = r.output_quality ?? (output_format === "png" ? undefined : defaults.quality);
  return { ...r, seed, output_format, ...(output_quality === undefined ? {} : { output_quality }) };
}
