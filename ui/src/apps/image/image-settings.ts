/**
 * The Image workspace's form state and the pure functions around it: the
 * defaults, the task request it becomes (common/image-request.ts's shape;
 * the problems its schema finds are request-check.ts's), and settings
 * restored from a request or a dropped image.
 */
import type { ImageRequestInput } from "../../../../common/image-request";
import type { LoraRef } from "../../../../common/lora-tags";
import { SPEEDS, type Speed } from "../../../../common/speed";

export interface HiresSettings {
  scale: number;
  upscaler: string;
  steps: number;
  denoising_strength: number;
}

export interface ImageSettings {
  prompt: string;
  negative_prompt: string;
  /** The seed typed in, or the one the last task used when `random_seed` is on. */
  seed: number;
  random_seed: boolean;
  steps: number;
  cfg_scale: number;
  /** Distilled guidance (Flux/Chroma); off when undefined. */
  guidance?: number;
  /** "" lets the engine pick its default for the model. */
  sampler: string;
  scheduler: string;
  width: number;
  height: number;
  /** 0 = the model's default. */
  clip_skip: number;
  num_images: number;
  model: string;
  vae: string;
  text_encoders: string[];
  loras: LoraRef[];
  init_image?: string;
  strength: number;
  mask?: string;
  ref_images: string[];
  control_image?: string;
  controlnet: string;
  control_strength: number;
  hires_enabled: boolean;
  hires: HiresSettings;
  /** Post-step: upscale each finished picture ×2/×4 with an ESRGAN model (0 = none); the original is kept. */
  upscale_factor: 0 | 2 | 4;
  upscale_model: string;
  vae_tiling: boolean;
  /** Seamless tiling: "none", both axes "xy", or only "x" / "y". */
  tiling: "none" | "xy" | "x" | "y";
  /** "" = the outputs.format setting. */
  output_format: "" | "png" | "jpeg" | "webp";
  output_quality: number;
  /** Step caching: "" leaves it to Settings → Engine → Speed. */
  speed: "" | Speed;
}

export const DEFAULT_SETTINGS: ImageSettings = {
  prompt: "",
  negative_prompt: "",
  seed: 0,
  random_seed: true,
  steps: 20,
  cfg_scale: 7,
  sampler: "",
  scheduler: "",
  width: 512,
  height: 512,
  clip_skip: 0,
  num_images: 1,
  model: "",
  vae: "",
  text_encoders: [],
  loras: [],
  strength: 0.75,
  ref_images: [],
  controlnet: "",
  control_strength: 0.9,
  hires_enabled: false,
  hires: { scale: 2, upscaler: "Latent", steps: 0, denoising_strength: 0.7 },
  upscale_factor: 0,
  upscale_model: "",
  vae_tiling: false,
  tiling: "none",
  output_format: "",
  output_quality: 90,
  speed: "",
};

/** Size presets (width × height), all multiples of 64. */
export const SIZE_PRESETS: [number, number][] = [
  [512, 512],
  [512, 768],
  [768, 512],
  [768, 768],
  [832, 1216],
  [1216, 832],
  [1024, 1024],
];

/** The body of `POST /api/tasks` for these settings. */
export function toRequest(s: ImageSettings, incognito = false): ImageRequestInput & { incognito?: boolean } {
  const body: ImageRequestInput & { incognito?: boolean } = {
    prompt: s.prompt,
    negative_prompt: s.negative_prompt,
    seed: s.random_seed ? "random" : s.seed,
    steps: s.steps,
    cfg_scale: s.cfg_scale,
    width: s.width,
    height: s.height,
    num_images: s.num_images,
    model: s.model,
    text_encoders: s.text_encoders.filter(Boolean),
    loras: s.loras,
    vae_tiling: s.vae_tiling,
  };
  if (s.tiling !== "none") body.tiling = s.tiling;
  if (s.speed) body.speed = s.speed;
  if (s.guidance !== undefined) body.guidance = s.guidance;
  if (s.sampler) body.sampler = s.sampler as never;
  if (s.scheduler) body.scheduler = s.scheduler as never;
  if (s.clip_skip > 0) body.clip_skip = s.clip_skip;
  if (s.vae) body.vae = s.vae;
  if (s.init_image) {
    body.init_image = s.init_image;
    body.strength = s.strength;
    if (s.mask) body.mask = s.mask;
  }
  if (s.ref_images.length) body.ref_images = s.ref_images;
  if (s.control_image || s.controlnet) {
    if (s.control_image) body.control_image = s.control_image;
    if (s.controlnet) body.controlnet = s.controlnet;
    body.control_strength = s.control_strength;
  }
  if (s.hires_enabled) body.hires = { ...s.hires };
  if (s.upscale_factor && s.upscale_model) body.upscale = { factor: s.upscale_factor, model: s.upscale_model };
  if (s.output_format) {
    body.output_format = s.output_format;
    if (s.output_format !== "png") body.output_quality = s.output_quality;
  }
  if (incognito) body.incognito = true;
  return body;
}

const SIMPLE_KEYS = [
  "prompt", "negative_prompt", "steps", "cfg_scale", "sampler", "scheduler", "width", "height", "num_images",
  "model", "vae", "strength", "controlnet", "control_strength", "vae_tiling", "output_quality", "tiling",
] as const;

/**
 * Settings from a request-shaped object (a task's stored request, or what
 * `/api/metadata/parse` read from an image). Unknown or mistyped values are
 * left out, so a stranger's infotext cannot break the form.
 */
export function settingsFromRequest(r: Record<string, unknown>): Partial<ImageSettings> {
  const out: Partial<ImageSettings> = {};
  const defaults = DEFAULT_SETTINGS as unknown as Record<string, unknown>;
  for (const key of SIMPLE_KEYS) {
    const v = r[key];
    if (v !== undefined && v !== null && typeof v === typeof defaults[key]) (out as Record<string, unknown>)[key] = v;
  }
  if (typeof r.seed === "number" && r.seed >= 0) {
    out.seed = r.seed;
    out.random_seed = false;
  }
  if (typeof r.guidance === "number") out.guidance = r.guidance;
  if ((SPEEDS as readonly unknown[]).includes(r.speed)) out.speed = r.speed as Speed;
  if (typeof r.clip_skip === "number") out.clip_skip = r.clip_skip;
  if (r.output_format === "png" || r.output_format === "jpeg" || r.output_format === "webp") out.output_format = r.output_format;
  if (Array.isArray(r.text_encoders)) out.text_encoders = r.text_encoders.filter((t): t is string => typeof t === "string");
  if (Array.isArray(r.loras))
    out.loras = r.loras
      .filter((l): l is LoraRef => !!l && typeof l.name === "string")
      .map((l) => ({ name: l.name, weight: typeof l.weight === "number" ? l.weight : 1 }));
  const up = r.upscale as { factor?: unknown; model?: unknown } | undefined;
  if (up && (up.factor === 2 || up.factor === 4) && typeof up.model === "string") {
    out.upscale_factor = up.factor;
    out.upscale_model = up.model;
  }
  if (r.hires && typeof r.hires === "object") {
    out.hires_enabled = true;
    out.hires = { ...DEFAULT_SETTINGS.hires, ...(r.hires as Partial<HiresSettings>) };
  }
  return out;
}

/**
 * The pictures a stored request started from (strings only: the task list
 * gives `true` in their place). Absent ones are cleared, so reusing a
 * text-to-image task's settings leaves no old init image behind.
 */
export function imageInputsFromRequest(r: Record<string, unknown>): Pick<ImageSettings, "init_image" | "mask" | "control_image" | "ref_images"> {
  const image = (v: unknown) => (typeof v === "string" && v.startsWith("data:") ? v : undefined);
  return {
    init_image: image(r.init_image),
    mask: image(r.init_image) && image(r.mask),
    control_image: image(r.control_image),
    ref_images: Array.isArray(r.ref_images) ? r.ref_images.map(image).filter((x): x is string => !!x) : [],
  };
}

/** Saved tab state → settings (defaults for anything missing or from an older version). */
export function restoreSettings(saved: unknown): ImageSettings {
  const s = saved && typeof saved === "object" ? (saved as Record<string, unknown>) : {};
  const merged = { ...DEFAULT_SETTINGS } as Record<string, unknown>;
  for (const [key, def] of Object.entries(DEFAULT_SETTINGS)) {
    const v = s[key];
    if (v !== undefined && (typeof v === typeof def || def === undefined)) merged[key] = v;
  }
  for (const key of ["guidance", "init_image", "mask", "control_image"] as const) if (s[key] !== undefined) merged[key] = s[key];
  return merged as unknown as ImageSettings;
}

/** Images above this size are not written into the saved tab state (it is capped at 1 MB for all tabs). */
export const MAX_SAVED_IMAGE_CHARS = 200_000;

/** Settings as saved in the tab state: large pictures are left out. */
export function settingsForSaving(s: ImageSettings): Partial<ImageSettings> {
  const small = (v?: string) => (v && v.length <= MAX_SAVED_IMAGE_CHARS ? v : undefined);
  return {
    ...s,
    init_image: small(s.init_image),
    mask: small(s.init_image) ? small(s.mask) : undefined,
    control_image: small(s.control_image),
    ref_images: s.ref_images.filter((r) => small(r)),
  };
}
