/**
 * Request → what sd-server needs: the model set its process is started with
 * (models/model-set.ts) and the body of `POST /sdcpp/v1/img_gen`. Pure: same
 * input, same output.
 */
import type { ImgGenBody, ModelSet } from "../engine/types";
import { toModelSet } from "../models/model-set";
import type { ResolvedModels } from "../models/resolve";
import type { ResolvedRequest } from "../common/image-request";
import { speedPlan, type SpeedPlan } from "../common/speed";

/** The step caching a request gets on its model (Quality when the request names no speed). */
export function speedPlanOf(r: Pick<ResolvedRequest, "speed" | "steps">, models: Pick<ResolvedModels, "model">): SpeedPlan {
  return speedPlan(r.speed ?? "quality", models.model.family, r.steps);
}

export function toImgGenBody(r: ResolvedRequest, models: ResolvedModels): ImgGenBody {
  const body: ImgGenBody = {
    prompt: r.prompt,
    negative_prompt: r.negative_prompt,
    width: r.width,
    height: r.height,
    seed: r.seed,
    batch_count: r.num_images,
    sample_params: {
      sample_steps: r.steps,
      ...(r.sampler ? { sample_method: r.sampler } : {}),
      ...(r.scheduler ? { scheduler: r.scheduler } : {}),
      guidance: { txt_cfg: r.cfg_scale, ...(r.guidance === undefined ? {} : { distilled_guidance: r.guidance }) },
    },
    // JPEG and WebP are made from the PNG in the launcher (outputs.ts): builds differ in what they can encode.
    output_format: "png",
  };
  if (r.clip_skip !== undefined) body.clip_skip = r.clip_skip;
  if (models.loras.length) body.lora = models.loras.map((l) => ({ path: l.enginePath, multiplier: l.weight }));
  if (r.init_image) {
    body.init_image = r.init_image;
    body.strength = r.strength;
  }
  if (r.mask) body.mask_image = r.mask;
  if (r.ref_images.length) body.ref_images = r.ref_images;
  if (r.control_image) {
    body.control_image = r.control_image;
    body.control_strength = r.control_strength;
  }
  if (r.hires) {
    body.hires = {
      enabled: true,
      upscaler: models.upscaler?.name ?? r.hires.upscaler,
      scale: r.hires.scale,
      steps: r.hires.steps,
      denoising_strength: r.hires.denoising_strength,
      ...(r.hires.width && r.hires.height ? { target_width: r.hires.width, target_height: r.hires.height } : {}),
    };
  }
  if (r.vae_tiling) body.vae_tiling_params = { enabled: true };
  const plan = speedPlanOf(r, models);
  if (plan.mode !== "disabled") {
    body.cache_mode = plan.mode;
    if (plan.option) body.cache_option = plan.option;
  }
  return body;
}

/** The whole translation the queue runs before handing a task to the engine. */
export function translate(r: ResolvedRequest, models: ResolvedModels): { modelSet: ModelSet; body: ImgGenBody } {
  return { modelSet: toModelSet(models, r), body: toImgGenBody(r, models) };
}
