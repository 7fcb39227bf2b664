/**
 * `GET /sdcpp/v1/capabilities` in the recorded shape (tests/fixtures/sd-server/capabilities.json); the
 * mode-aware part as upstream's examples/server/routes_sdcpp.cpp make_capabilities_json builds it at 97d2990:
 * `supported_modes`, `*_by_mode` only for the modes the model supports, top-level mirrors of img_gen when
 * supported else vid_gen (`current_mode`), vid_gen defaults from make_vid_gen_defaults_json with the first
 * video format as `output_format`, features from make_vid_gen_features_json.
 */
import { basename, parse } from "node:path";
import { OUTPUT_FORMATS, SAMPLERS, SCHEDULERS, type GenDefaults } from "./request";

export interface CapabilitiesInput {
  defaults: GenDefaults & { videoFrames: number; fps: number };
  modes: { img: boolean; vid: boolean };
  /** runtime.cpp supported_vid_output_formats for this build. */
  videoFormats: string[];
  modelPath: string;
  loras: { name: string; path: string }[];
  maxPending: number;
}

export function capabilities(input: CapabilitiesInput) {
  const d = input.defaults;
  const defaults = {
    auto_resize_ref_image: true,
    batch_count: 1,
    cache_mode: "",
    cache_option: "",
    clip_skip: -1,
    control_strength: 0.8999999761581421,
    height: d.height,
    hires: { custom_sigmas: [], denoising_strength: 0.699999988079071, enabled: false, scale: 2.0, steps: 0, target_height: 0, target_width: 0, upscale_tile_size: 128, upscaler: "Latent" },
    increase_ref_index: false,
    ip_adapter_strength: 1.0,
    negative_prompt: "",
    output_compression: 100,
    output_format: "png",
    prompt: "",
    qwen_image_layers: 3,
    sample_params: {
      eta: null,
      flow_shift: null,
      guidance: { distilled_guidance: 3.5, img_cfg: null, slg: { layer_end: 0.20000000298023224, layer_start: 0.009999999776482582, layers: [7, 8, 9], scale: 0.0 }, txt_cfg: d.cfg },
      sample_method: d.sampleMethod,
      sample_steps: d.steps,
      scheduler: d.scheduler,
      shifted_timestep: 0,
    },
    scm_mask: "",
    scm_policy_dynamic: true,
    seed: d.seed,
    strength: 0.75,
    vae_tiling_params: { enabled: false, extra_tiling_args: "", rel_size_x: 0.0, rel_size_y: 0.0, target_overlap: 0.5, temporal_tiling: false, tile_size_x: 0, tile_size_y: 0 },
    width: d.width,
  };
  const features = {
    cache: true,
    cancel_generating: false,
    cancel_queued: true,
    control_image: true,
    hires: true,
    init_image: true,
    ip_adapter_image: true,
    lora: true,
    mask_image: true,
    ref_images: true,
    vae_tiling: true,
  };
  const sampleParams = defaults.sample_params;
  const { batch_count: _b, auto_resize_ref_image: _a, increase_ref_index: _i, control_strength: _c, ip_adapter_strength: _p, qwen_image_layers: _q, ...shared } =
    defaults;
  const vidDefaults = {
    ...shared,
    width: d.width > 0 ? d.width : 512,
    height: d.height > 0 ? d.height : 512,
    video_frames: d.videoFrames,
    fps: d.fps,
    moe_boundary: 0.875,
    vace_strength: 1.0,
    high_noise_sample_params: { ...sampleParams, sample_steps: -1 },
    output_format: input.videoFormats[0] ?? "avi",
  };
  const vidFeatures = {
    init_image: true,
    end_image: true,
    control_frames: true,
    high_noise_sample_params: true,
    lora: true,
    vae_tiling: true,
    cache: true,
    cancel_queued: true,
    cancel_generating: false,
  };
  const modes = [...(input.modes.img ? ["img_gen"] : []), ...(input.modes.vid ? ["vid_gen"] : [])];
  const byMode = <T, U>(img: T, vid: U) => ({ ...(input.modes.img ? { img_gen: img } : {}), ...(input.modes.vid ? { vid_gen: vid } : {}) });
  const current = input.modes.img ? "img_gen" : input.modes.vid ? "vid_gen" : "";
  const upscalers = ["None", "Lanczos", "Nearest", "Latent", "Latent (nearest)", "Latent (nearest-exact)", "Latent (antialiased)", "Latent (bicubic)", "Latent (bicubic antialiased)"];
  return {
    current_mode: current,
    defaults: current === "img_gen" ? defaults : current === "vid_gen" ? vidDefaults : {},
    defaults_by_mode: byMode(defaults, vidDefaults),
    features: current === "img_gen" ? features : current === "vid_gen" ? vidFeatures : { cancel_queued: true, cancel_generating: false },
    features_by_mode: byMode(features, vidFeatures),
    limits: { max_batch_count: 8, max_height: 4096, max_queue_size: input.maxPending, max_width: 4096, min_height: 64, min_width: 64 },
    loras: input.loras,
    model: { name: basename(input.modelPath), path: input.modelPath, stem: parse(input.modelPath).name },
    output_formats: current === "img_gen" ? OUTPUT_FORMATS : current === "vid_gen" ? input.videoFormats : [],
    output_formats_by_mode: byMode(OUTPUT_FORMATS, input.videoFormats),
    samplers: SAMPLERS,
    schedulers: SCHEDULERS,
    supported_modes: modes,
    upscalers: upscalers.map((name) => ({ name })),
  };
}
