/**
 * Parsed infotext → request fields, for "drop an image, get its settings
 * back". Handles A1111/Forge names and sd.cpp's `SDCPP: {json}`. Fields it
 * cannot map are left out, never guessed.
 */
import { extractLoraTags } from "./lora-tags";
import type { ImageRequestInput } from "./image-request";
import type { ParsedInfotext } from "./infotext";
import { samplerFromText, schedulerFromText } from "./a1111-samplers";
import { SPEEDS, type Speed } from "./speed";

export type Settings = Partial<ImageRequestInput>;

/** How a picture was made, as our JSON says (written since pictures say so; older ones do not). */
export type MadeAs = "txt2img" | "img2img" | "inpaint";

const number = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : undefined;
};
const int = (v: string | undefined) => {
  const n = number(v);
  return n === undefined ? undefined : Math.round(n);
};
const size = (v: string | undefined): [number, number] | undefined => {
  const m = v && /^(\d+)\s*x\s*(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
};

/** Drops undefined values so the result only holds what the image said. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function infotextToSettings(parsed: ParsedInfotext): Settings {
  const p = parsed.params;
  const tags = extractLoraTags(parsed.prompt);
  const s: Settings = { prompt: tags.prompt, negative_prompt: parsed.negative_prompt };
  if (tags.loras.length) s.loras = tags.loras;
  s.steps = int(p["Steps"]);
  if (p["Sampler"]) Object.assign(s, compact(samplerFromText(p["Sampler"])));
  const scheduler = p["Schedule type"] ? schedulerFromText(p["Schedule type"]) : undefined;
  if (scheduler) s.scheduler = scheduler;
  s.cfg_scale = number(p["CFG scale"]);
  s.guidance = number(p["Distilled CFG Scale"] ?? p["Guidance"]);
  s.seed = int(p["Seed"]);
  const wh = size(p["Size"]);
  if (wh) [s.width, s.height] = wh;
  if (p["Model"]) s.model = p["Model"];
  if (p["VAE"]) s.vae = p["VAE"];
  s.clip_skip = int(p["Clip skip"]);
  const speed = p["Speed"]?.toLowerCase();
  if (speed && (SPEEDS as readonly string[]).includes(speed)) s.speed = speed as Speed;
  const tiling = p["Tiling"]?.toLowerCase();
  if (tiling === "true" || tiling === "xy") s.tiling = "xy";
  else if (tiling === "x" || tiling === "y") s.tiling = tiling;
  const hiresResize = size(p["Hires resize"]);
  const hires = p["Hires upscale"] !== undefined || hiresResize || p["Hires upscaler"] !== undefined;
  const denoise = number(p["Denoising strength"]);
  if (hires) {
    s.hires = compact({
      scale: number(p["Hires upscale"]),
      steps: int(p["Hires steps"]),
      upscaler: p["Hires upscaler"],
      denoising_strength: denoise,
      width: hiresResize?.[0],
      height: hiresResize?.[1],
    });
  } else if (denoise !== undefined) s.strength = denoise;
  if (parsed.sdcpp) Object.assign(s, sdcppToSettings(parsed.sdcpp));
  return compact(s);
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);

/** sd.cpp's `sdcpp.image.params/v1` JSON: exact values where the text line rounds or renames. */
export function sdcppToSettings(j: Json): Settings {
  const prompt = obj(j.prompt);
  const sampling = obj(j.sampling);
  const guidance = obj(sampling.guidance);
  const models = obj(j.models);
  const positive = str(prompt.positive);
  const tags = positive === undefined ? undefined : extractLoraTags(positive);
  const clipSkip = num(j.clip_skip);
  const method = str(sampling.method);
  const scheduler = str(sampling.scheduler);
  return compact({
    prompt: tags?.prompt,
    negative_prompt: typeof prompt.negative === "string" ? prompt.negative : undefined,
    seed: num(j.seed),
    width: num(j.width),
    height: num(j.height),
    steps: num(sampling.steps),
    sampler: method ? samplerFromText(method).sampler : undefined,
    scheduler: scheduler ? schedulerFromText(scheduler) : undefined,
    cfg_scale: num(guidance.txt_cfg),
    guidance: num(guidance.distilled_guidance),
    clip_skip: clipSkip !== undefined && clipSkip > 0 ? clipSkip : undefined,
    model: str(models.model) ?? str(models.diffusion_model),
  }) as Settings;
}
