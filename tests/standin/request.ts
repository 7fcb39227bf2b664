/**
 * Turns an img_gen body into generation parameters the way sd-server does:
 * wrong JSON types are ignored, steps clamped to [1,100], sizes rounded up
 * to a multiple of 64, and what it cannot use is a 400 "invalid generation
 * parameters". The stand-in encodes PNG only (see README.md in this folder).
 */
import { loraFullPath } from "./loras";
import { parseCache, type CacheParams } from "./cache";
import type { VideoParams } from "./video";

export const SAMPLERS = [
  "euler", "euler_a", "heun", "dpm2", "dpm++2s_a", "dpm++2m", "dpm++2mv2", "ipndm", "ipndm_v", "lcm",
  "ddim_trailing", "tcd", "res_multistep", "res_2s", "er_sde", "euler_cfg_pp", "euler_a_cfg_pp", "euler_ge",
  "dpm++2m_sde", "dpm++2m_sde_bt", "lms",
];
export const SCHEDULERS = [
  "discrete", "normal", "karras", "exponential", "ays", "gits", "sgm_uniform", "simple", "smoothstep", "kl_optimal",
  "lcm", "bong_tangent", "ltx2", "logit_normal", "flux2", "flux", "beta",
];
export const OUTPUT_FORMATS = ["png"];

export interface GenDefaults {
  width: number;
  height: number;
  steps: number;
  seed: number;
  cfg: number;
  sampleMethod: string;
  scheduler: string;
}

export interface GenRequest {
  prompt: string;
  negativePrompt: string;
  width: number;
  height: number;
  seed: number;
  batchCount: number;
  steps: number;
  cfg: number;
  sampleMethod: string;
  scheduler: string;
  clipSkip: number;
  strength: number;
  outputFormat: string;
  embedMetadata: boolean;
  loras: { path: string; multiplier: number }[];
  /** An init_image was given: img2img (sampling runs img2imgSteps()). */
  img2img: boolean;
  /** hires.enabled: a second sampling pass at the target size (hiresSchedule()). */
  hires: { steps: number; denoise: number; width: number; height: number; upscaler: string } | null;
  /** cache_mode / cache_option (cache.ts). */
  cache: CacheParams;
  /** Set on a vid_gen job (video.ts parseVidGen). */
  video?: VideoParams;
}

/**
 * Sampling steps of an img2img job: upstream stable-diffusion.cpp (master-827-97d2990)
 * generate_image_internal: t_enc = (size_t)(steps × strength), one less when it equals steps, and the
 * sigma schedule keeps t_enc + 1 steps (recorded: 8 steps, strength 0.5 → "target t_enc is 4 steps", 5-step bar).
 */
export function img2imgSteps(steps: number, strength: number): { tEnc: number; samplingSteps: number } {
  let tEnc = Math.max(0, Math.floor(Math.fround(steps * Math.fround(strength))));
  if (tEnc >= steps) tEnc = steps - 1;
  return { tEnc, samplingSteps: tEnc + 1 };
}

/**
 * The hires pass's schedule: upstream make_hires_sigma_schedule: scheduler_steps = (int)(hires_steps /
 * denoising_strength) (hires_steps 0 → the job's steps), t_enc = (size_t)(scheduler_steps × strength) capped at
 * scheduler_steps − 1, sigma_sched_size = t_enc + 2, so the second bar has t_enc + 1 steps
 * (recorded: hires steps 2, strength 0.5 → scheduler_steps=4, sigma_sched_size=4, a 3-step bar).
 */
export function hiresSchedule(hiresSteps: number, jobSteps: number, denoise: number): { schedulerSteps: number; sigmaSize: number; samplingSteps: number } {
  const effective = Math.max(1, hiresSteps > 0 ? hiresSteps : jobSteps);
  const d = Math.fround(denoise);
  const schedulerSteps = Math.max(1, Math.floor(Math.fround(effective / d)));
  let tEnc = Math.floor(Math.fround(schedulerSteps * d));
  if (tEnc >= schedulerSteps) tEnc = schedulerSteps - 1;
  return { schedulerSteps, sigmaSize: tEnc + 2, samplingSteps: tEnc + 1 };
}

/**
 * Upstream common.cpp SDGenerationParams::validate (reached through routes_sdcpp.cpp parse_img_gen_request →
 * resolve_and_validate → 400 "invalid generation parameters"): with hires enabled, a denoising strength outside
 * (0, 1], negative target sizes or steps, or a scale ≤ 0 without a target size are refused, each with its
 * `[ERROR] common.cpp:N - error: …` line. Fields are read only when of the JSON type from_json_str expects.
 */
export function hiresProblem(v: unknown): { line: string; message: string } | null {
  const h = obj(v);
  if (h.enabled !== true) return null;
  const tw = Number.isInteger(h.target_width) ? (h.target_width as number) : 0;
  const th = Number.isInteger(h.target_height) ? (h.target_height as number) : 0;
  if (tw < 0 || th < 0) return { line: "common.cpp:2441", message: "error: hires target width and height must be >= 0" };
  if ((num(h.scale) ?? 2) <= 0 && tw <= 0 && th <= 0) return { line: "common.cpp:2445", message: "error: hires scale must be positive when target size is not set" };
  if (Number.isInteger(h.steps) && (h.steps as number) < 0) return { line: "common.cpp:2449", message: "error: hires steps must be >= 0" };
  const d = num(h.denoising_strength) ?? 0.7;
  if (d <= 0 || d > 1) return { line: "common.cpp:2453", message: "error: hires denoising strength must be in (0.0, 1.0]" };
  return null;
}

/** upstream resolve_hires_params: strength clamped to [0.0001, 1]; target size from target_width/height or size × scale (default 2). */
function parseHires(v: unknown, width: number, height: number): GenRequest["hires"] {
  const h = obj(v);
  if (h.enabled !== true) return null;
  const scale = num(h.scale) ?? 2;
  let tw = Number.isInteger(h.target_width) ? (h.target_width as number) : 0;
  let th = Number.isInteger(h.target_height) ? (h.target_height as number) : 0;
  if (tw > 0 && th <= 0) th = tw;
  else if (th > 0 && tw <= 0) tw = th;
  else if (tw <= 0 && th <= 0) [tw, th] = [Math.round(width * scale), Math.round(height * scale)];
  if (tw <= 0 || th <= 0) return null;
  const steps = Number.isInteger(h.steps) ? Math.max(0, h.steps as number) : 0;
  const denoise = Math.min(1, Math.max(0.0001, num(h.denoising_strength) ?? 0.7));
  return { steps, denoise, width: roundUp64(tw), height: roundUp64(th), upscaler: str(h.upscaler) ?? "Latent" };
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const roundUp64 = (n: number) => Math.ceil(n / 64) * 64;

/** log: an [ERROR] line sd-server prints on stderr for this refusal (common.cpp from_json: "invalid lora"), at `at` (file:line). */
export type Parsed = { ok: true; request: GenRequest } | { ok: false; error: string; log?: string; at?: string };

export function parseImgGen(body: unknown, defaults: GenDefaults, loraDir: string): Parsed {
  const invalid: Parsed = { ok: false, error: "invalid generation parameters" };
  const invalidLora: Parsed = { ok: false, error: "invalid generation parameters", log: "invalid lora" };
  if (!body || typeof body !== "object" || Array.isArray(body)) return invalid;
  const b = body as Record<string, unknown>;
  const sp = obj(b.sample_params);
  const guidance = obj(sp.guidance);

  const width = num(b.width) ?? defaults.width;
  const height = num(b.height) ?? defaults.height;
  if (width <= 0 || height <= 0) return invalid;

  const sampleMethod = str(sp.sample_method) ?? defaults.sampleMethod;
  if (sampleMethod !== "default" && !SAMPLERS.includes(sampleMethod)) return invalid;
  const scheduler = str(sp.scheduler) ?? defaults.scheduler;
  if (scheduler !== "default" && !SCHEDULERS.includes(scheduler)) return invalid;

  const outputFormat = str(b.output_format) ?? "png";
  if (!OUTPUT_FORMATS.includes(outputFormat)) return { ok: false, error: `unsupported output_format '${outputFormat}' (this build writes png only)` };

  // Upstream common.cpp parse_lora_json_field: not an array, an entry not an object, an empty path or one
  // get_lora_full_path does not know → false → "invalid generation parameters" (stderr "invalid lora").
  const loras: GenRequest["loras"] = [];
  if (b.lora !== undefined) {
    if (!Array.isArray(b.lora)) return invalidLora;
    for (const entry of b.lora) {
      if (!entry || typeof entry !== "object" || Array.isArray(entry)) return invalidLora;
      const path = str(obj(entry).path) ?? "";
      if (!path) return invalidLora;
      const full = loraFullPath(loraDir, path);
      if (!full) return invalidLora;
      loras.push({ path: full, multiplier: num(obj(entry).multiplier) ?? 1 });
    }
  }

  const hires = hiresProblem(b.hires);
  if (hires) return { ok: false, error: "invalid generation parameters", log: hires.message, at: hires.line };
  // common.cpp initialize_cache_params: a bad mode or option fails resolve → "invalid generation parameters".
  const cache = parseCache(b.cache_mode, b.cache_option);
  if (!cache.ok) return { ok: false, error: "invalid generation parameters", log: cache.log, at: cache.at };

  let seed = num(b.seed) ?? defaults.seed;
  if (seed < 0) seed = Math.floor(Math.random() * 2 ** 31);

  return {
    ok: true,
    request: {
      prompt: str(b.prompt) ?? "",
      negativePrompt: str(b.negative_prompt) ?? "",
      width: roundUp64(width),
      height: roundUp64(height),
      seed: Math.floor(seed),
      batchCount: Math.max(1, Math.floor(num(b.batch_count) ?? 1)),
      steps: Math.min(100, Math.max(1, Math.floor(num(sp.sample_steps) ?? defaults.steps))),
      cfg: num(guidance.txt_cfg) ?? defaults.cfg,
      sampleMethod,
      scheduler,
      clipSkip: num(b.clip_skip) ?? -1,
      strength: num(b.strength) ?? 0.75,
      outputFormat,
      embedMetadata: typeof b.embed_image_metadata === "boolean" ? b.embed_image_metadata : true,
      loras,
      img2img: typeof b.init_image === "string" && b.init_image.length > 0,
      hires: parseHires(b.hires, roundUp64(width), roundUp64(height)),
      cache: cache.params,
    },
  };
}

/** The A1111-like `parameters` text sd.cpp embeds, ending in `SDCPP: {json}`. */
export function parametersText(r: GenRequest, seed: number, modelName: string): string {
  const method = r.sampleMethod === "default" ? "euler_a" : r.sampleMethod;
  const sdcpp = {
    auto_resize_ref_image: true,
    clip_skip: r.clipSkip,
    control_strength: 0.8999999761581421,
    generator: { commit: "unknown", name: "stable-diffusion.cpp", version: "unknown" },
    height: r.height,
    increase_ref_index: false,
    ip_adapter_strength: 1.0,
    mode: "img_gen",
    models: { model: modelName },
    prompt: { negative: r.negativePrompt, positive: r.prompt },
    rng: "cuda",
    sampling: {
      custom_sigmas: [],
      eta: null,
      extra_sample_args: "",
      flow_shift: null,
      guidance: { distilled_guidance: 3.5, img_cfg: null, slg: { end: 0.2, layers: [7, 8, 9], scale: 0.0, start: 0.01 }, txt_cfg: r.cfg },
      method,
      shifted_timestep: 0,
      steps: r.steps,
    },
    schema: "sdcpp.image.params/v1",
    seed,
    strength: r.strength,
    width: r.width,
  };
  const neg = r.negativePrompt ? `\nNegative prompt: ${r.negativePrompt}` : "";
  return (
    `${r.prompt}${neg}\nSteps: ${r.steps}, CFG scale: ${r.cfg.toFixed(6)}, Guidance: 3.500000, Eta: inf, Seed: ${seed}, ` +
    `Size: ${r.width}x${r.height}, Model: ${modelName}, RNG: cuda, Sampler: ${method}, Version: stable-diffusion.cpp, SDCPP: ${JSON.stringify(sdcpp)}`
  );
}
