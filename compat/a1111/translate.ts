/**
 * A1111 txt2img/img2img request → our image request (pure). Samplers are
 * mapped from A1111 names ("DPM++ 2M" + "Karras", "DPM++ 2M Karras",
 * "Euler a") or taken as ours; the model comes from
 * override_settings.sd_model_checkpoint or the current one; what the engine
 * cannot do (face restoration, extensions, subseeds, inpainting fill modes) is
 * ignored and named in `notes`, which the answer's info carries.
 */
import { HIRES_UPSCALERS, type ImageRequestInput } from "../../common/image-request";
import { A1111_SCHEDULERS, samplerFromText, schedulerFromText } from "../../common/a1111-samplers";
import { findCheckpoint } from "../checkpoints";
import { pyInt } from "./coerce";
import { A1111HttpError } from "./errors";
import { samplerFallback } from "./sampler-fallbacks";
import type { Img2ImgRequest, Txt2ImgRequest } from "./schemas";

export interface TranslateContext {
  /** Checkpoint files (relative names) a request may name. */
  checkpoints: string[];
  /** The checkpoint used when a request names none. */
  current: string | null;
  /** VAE files (relative names). */
  vaes: string[];
}

export interface Translated {
  request: ImageRequestInput;
  notes: string[];
}

/**
 * "DPM++ 2M" + "Karras" (or "DPM++ 2M Karras") → our sampler and scheduler.
 * A1111 names without an engine equivalent ("UniPC", "PLMS", "DPM++ SDE
 * Karras", k_* aliases) run the nearest engine sampler, said in `notes`;
 * names A1111 does not know either: 404 "Sampler not found" (api.py
 * validate_sampler_name).
 */
export function mapSampler(name: string | undefined, scheduler: string | undefined, notes: string[] = []): Pick<ImageRequestInput, "sampler" | "scheduler"> {
  const out: Pick<ImageRequestInput, "sampler" | "scheduler"> = {};
  if (name) {
    const found = samplerFromText(name);
    if (found.sampler) {
      out.sampler = found.sampler;
      if (found.scheduler) out.scheduler = found.scheduler;
    } else {
      let base = name.trim();
      const suffix = A1111_SCHEDULERS.find(([label]) => base.toLowerCase().endsWith(` ${label.toLowerCase()}`));
      if (suffix) base = base.slice(0, -suffix[0].length - 1);
      const fallback = samplerFallback(base);
      if (!fallback) throw new A1111HttpError(404, "Sampler not found");
      out.sampler = fallback.sampler;
      if (suffix) out.scheduler = suffix[1];
      if (fallback.note) notes.push(fallback.note);
    }
  }
  if (scheduler && scheduler.toLowerCase() !== "automatic") {
    const s = schedulerFromText(scheduler);
    if (!s) throw new A1111HttpError(404, "Scheduler not found");
    out.scheduler = s;
  }
  return out;
}

function pickModel(req: Txt2ImgRequest | Img2ImgRequest, ctx: TranslateContext): string {
  const asked = req.override_settings.sd_model_checkpoint;
  if (typeof asked === "string" && asked) {
    const file = findCheckpoint(ctx.checkpoints, asked);
    if (!file) throw new A1111HttpError(404, "Model not found");
    return file;
  }
  if (!ctx.current) throw new A1111HttpError(404, "Model not found");
  return ctx.current;
}

function pickVae(asked: unknown, ctx: TranslateContext): string | undefined {
  if (typeof asked !== "string" || !asked || ["automatic", "none"].includes(asked.toLowerCase())) return undefined;
  const file = ctx.vaes.find((v) => v === asked || v.split("/").pop() === asked);
  if (!file) throw new A1111HttpError(404, "VAE not found");
  return file;
}

function ignored(req: Txt2ImgRequest | Img2ImgRequest, notes: string[]) {
  if (req.restore_faces) notes.push("restore_faces is ignored: the engine has no face restoration");
  if (Object.keys(req.alwayson_scripts).length)
    notes.push(`alwayson_scripts are ignored (${Object.keys(req.alwayson_scripts).join(", ")}): no A1111 extensions here`);
  if (req.subseed_strength > 0) notes.push("subseed/subseed_strength are ignored: no variation seeds in the engine");
  if (req.styles?.length) notes.push("styles are ignored: prompt styles are an A1111 feature");
  if (req.tiling) notes.push("tiling is ignored");
}

function base(req: Txt2ImgRequest | Img2ImgRequest, ctx: TranslateContext, notes: string[]): ImageRequestInput {
  ignored(req, notes);
  const clipSkip = pyInt(req.override_settings.CLIP_stop_at_last_layers);
  const vae = pickVae(req.override_settings.sd_vae, ctx);
  return {
    prompt: req.prompt,
    negative_prompt: req.negative_prompt,
    seed: req.seed < 0 ? "random" : req.seed,
    steps: req.steps,
    cfg_scale: req.cfg_scale,
    ...(req.distilled_cfg_scale !== undefined ? { guidance: req.distilled_cfg_scale } : {}),
    ...mapSampler(req.sampler_name ?? req.sampler_index, req.scheduler, notes),
    width: req.width,
    height: req.height,
    num_images: req.batch_size * req.n_iter,
    model: pickModel(req, ctx),
    ...(vae ? { vae } : {}),
    ...(typeof clipSkip === "number" && clipSkip > 1 ? { clip_skip: clipSkip } : {}),
    ...(req.speed ? { speed: req.speed } : {}),
    output_format: "png",
  };
}

/**
 * A1111's hr_upscaler names that are ours too, else Latent (with a note).
 * "None" resizes the picture with Lanczos in A1111 (modules/images.py
 * resize_image: `upscaler_name is None or == "None"` → PIL LANCZOS), so it is
 * the engine's Lanczos here.
 */
function hiresUpscaler(name: string | null | undefined, notes: string[]): string {
  if (!name) return "Latent";
  if (name.trim().toLowerCase() === "none") return "Lanczos";
  const ours = HIRES_UPSCALERS.find((u) => u.toLowerCase() === name.toLowerCase());
  if (ours) return ours;
  notes.push(`hr_upscaler ${JSON.stringify(name)} is not available; Latent is used`);
  return "Latent";
}

/** The engine's smallest useful hires strength: its hires pass refuses 0 (common.cpp validate: "(0.0, 1.0]"). */
export const LEAST_HIRES_STRENGTH = 0.01;

/**
 * The hires pass's strength and steps. A1111's txt2img default is 0.75
 * (processing.py StableDiffusionProcessingTxt2Img.denoising_strength). With
 * 0, A1111's second pass changes nothing: sample_hr_pass calls
 * sample_img2img(steps = hr_second_pass_steps or steps), where
 * sd_samplers_common.setup_img2img_steps gives 0 schedule steps for strength
 * 0, so sigma_sched (sd_samplers_kdiffusion.py) holds only the final 0 and the
 * upscaled first pass comes back untouched. The engine refuses strength 0, so
 * the nearest it does is one step at the lowest strength it takes.
 */
function hiresStrength(asked: number | undefined, steps: number, notes: string[]): { steps: number; denoising_strength: number } {
  if (asked === undefined) return { steps, denoising_strength: 0.75 };
  if (asked > 0) return { steps, denoising_strength: asked };
  notes.push(
    "denoising_strength 0 with enable_hr: A1111's second pass then leaves the upscaled picture as it is; " +
      `the engine needs a strength above 0, so its hires pass ran 1 step at strength ${LEAST_HIRES_STRENGTH} (the picture is upscaled and barely changed)`,
  );
  return { steps: 1, denoising_strength: LEAST_HIRES_STRENGTH };
}

export function translateTxt2Img(req: Txt2ImgRequest, ctx: TranslateContext): Translated {
  const notes: string[] = [];
  const request = base(req, ctx, notes);
  if (req.enable_hr) {
    const exact = req.hr_resize_x > 0 && req.hr_resize_y > 0;
    const strength = hiresStrength(req.denoising_strength, req.hr_second_pass_steps, notes);
    request.hires = {
      scale: req.hr_scale,
      upscaler: hiresUpscaler(req.hr_upscaler, notes),
      ...strength,
      ...(exact ? { width: req.hr_resize_x, height: req.hr_resize_y } : {}),
    };
  }
  return { request, notes };
}

export function translateImg2Img(req: Img2ImgRequest, ctx: TranslateContext): Translated {
  const notes: string[] = [];
  const request = base(req, ctx, notes);
  request.init_image = req.init_images[0];
  if (req.init_images.length > 1) notes.push(`only the first of ${req.init_images.length} init_images is used`);
  request.strength = req.denoising_strength;
  if (req.mask) {
    request.mask = req.mask;
    if (req.inpainting_fill !== 1) notes.push(`inpainting_fill ${req.inpainting_fill} is treated as 1 (original): the engine always starts from the picture`);
    if (req.inpainting_mask_invert) notes.push("inpainting_mask_invert 1: the mask was inverted (its black part was painted)");
  }
  return { request, notes };
}
