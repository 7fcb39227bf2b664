/**
 * A video request → the body of `POST /sdcpp/v1/vid_gen` (examples/server/api.md at 97d2990): the shared
 * fields as img_gen's, `video_frames`, `fps`, the start/end images and control frames, the high-noise
 * pass, LoRAs with `is_high_noise`, the step caching Speed chooses, and the container format. Pure.
 */
import type { VidGenBody } from "../engine/types";
import { speedPlan, type SpeedPlan } from "../common/speed";
import type { VideoRequest } from "../common/video-request";
import type { ResolvedModels } from "../models/resolve";

export function videoSpeedPlan(r: Pick<VideoRequest, "speed" | "steps">, base: Pick<ResolvedModels, "model">): SpeedPlan {
  return speedPlan(r.speed ?? "quality", base.model.family, r.steps);
}

export function toVidGenBody(r: VideoRequest & { seed: number }, base: ResolvedModels, format: VidGenBody["output_format"]): VidGenBody {
  const body: VidGenBody = {
    prompt: r.prompt,
    negative_prompt: r.negative_prompt,
    width: r.width,
    height: r.height,
    seed: r.seed,
    video_frames: r.frames,
    fps: r.fps,
    sample_params: {
      sample_steps: r.steps,
      ...(r.sampler ? { sample_method: r.sampler } : {}),
      ...(r.scheduler ? { scheduler: r.scheduler } : {}),
      ...(r.flow_shift === undefined ? {} : { flow_shift: r.flow_shift }),
      guidance: { txt_cfg: r.cfg_scale },
    },
    output_format: format,
  };
  if (r.start_image) {
    body.init_image = r.start_image;
    body.strength = r.strength;
  }
  if (r.end_image) body.end_image = r.end_image;
  if (r.control_frames.length) body.control_frames = r.control_frames;
  if (r.high_noise_model) {
    const h = r.high_noise ?? {};
    body.high_noise_sample_params = {
      sample_steps: h.steps ?? -1,
      ...(h.sampler ? { sample_method: h.sampler } : {}),
      ...(h.scheduler ? { scheduler: h.scheduler } : {}),
      ...(r.flow_shift === undefined ? {} : { flow_shift: r.flow_shift }),
      guidance: { txt_cfg: h.cfg_scale ?? r.cfg_scale },
    };
  }
  if (r.moe_boundary !== undefined) body.moe_boundary = r.moe_boundary;
  if (r.vace_strength !== undefined) body.vace_strength = r.vace_strength;
  if (base.loras.length) {
    const high = new Set(r.loras.filter((l) => l.high_noise).map((l) => l.name));
    body.lora = base.loras.map((l) => ({ path: l.enginePath, multiplier: l.weight, ...(high.has(l.name) ? { is_high_noise: true } : {}) }));
  }
  if (r.vae_tiling) body.vae_tiling_params = { enabled: true };
  const plan = videoSpeedPlan(r, base);
  if (plan.mode !== "disabled") {
    body.cache_mode = plan.mode;
    if (plan.option) body.cache_option = plan.option;
  }
  return body;
}
