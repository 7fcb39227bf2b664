/**
 * Turns an img_gen body into generation parameters the way sd-server does:
 * wrong JSON types are ignored, steps clamped to [1,100], sizes rounded up
 * to a multiple of 64, and what it cannot use is a 400 "invalid generation
 * parameters". The stand-in encodes PNG only (see README.md in this folder).
 */
import { loraFullPath } from "./loras";

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
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const roundUp64 = (n: number) => Math.ceil(n / 64) * 64;

/** log: an [ERROR] line sd-server prints on stderr for this refusal (common.cpp from_json: "invalid lora"). */
export type Parsed = { ok: true; request: GenRequest } | { ok: false; error: string; log?: string };

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
