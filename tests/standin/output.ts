/**
 * What the stand-in prints, in the recorded format
 * (tests/fixtures/sd-server/sd-server-stdout-sample.log): `[LEVEL] file:line - msg`
 * log lines, the parameter dumps, and `\r` progress bars ending in ESC[K.
 */
export type Level = "DEBUG" | "INFO" | "WARN" | "ERROR";

export function logLine(level: Level, where: string, msg: string): string {
  const [file, line = "0"] = where.split(":");
  return `[${level.padEnd(5)}] ${file}:${line.padEnd(4)} - ${msg}\n`;
}

/** The library's progress bar: 50 columns, `=` and `>` while sampling, `#` while loading tensors. */
export function progressBar(current: number, total: number, style: "sampling" | "load", rate: string): string {
  const width = 50;
  const pos = Math.floor((width * current) / total);
  let bar = "";
  for (let i = 0; i < width; i++) {
    if (style === "load") bar += i < Math.max(pos, 1) ? "#" : " ";
    else bar += i < pos ? "=" : i === pos ? ">" : " ";
  }
  return `\r  |${bar}| ${current}/${total} - ${rate}\x1b[K`;
}

/** `1.30it/s` when faster than one step a second, `8.19s/it` otherwise, as the library prints. */
export function stepRate(secondsPerStep: number): string {
  if (secondsPerStep <= 0) return "inf it/s";
  return secondsPerStep < 1 ? `${(1 / secondsPerStep).toFixed(2)}it/s` : `${secondsPerStep.toFixed(2)}s/it`;
}

const q = (s: string | undefined) => JSON.stringify(s ?? "");

export interface ContextDump {
  threads: number;
  model?: string;
  clipL?: string;
  clipG?: string;
  t5xxl?: string;
  llm?: string;
  diffusionModel?: string;
  vae?: string;
  taesd?: string;
  upscaleModel?: string;
  controlNet?: string;
  embdDir?: string;
  /** What the embedding scan found (embeddings.ts), stem → path. */
  embeddings?: Map<string, string>;
  loraDir: string;
  offloadToCpu: boolean;
  eagerLoad: boolean;
  mmap: boolean;
  flashAttn: boolean;
  diffusionFlashAttn: boolean;
}

export function startupDump(ip: string, port: number, c: ContextDump): string {
  const lines = [
    logLine("DEBUG", "main.cpp:82", "version: stable-diffusion.cpp version unknown, commit unknown"),
    logLine("DEBUG", "main.cpp:83", "System Info: "),
    "   SSE3 = 1 |    SSSE3 = 1 |    AVX = 1 |    AVX2 = 1 |    F16C = 1 |    FMA = 1 |    BMI2 = 1 |    OPENMP = 1 |    REPACK = 1 | \n",
    logLine("DEBUG", "main.cpp:84", "SDSvrParams {"),
    `  listen_ip: ${ip},\n  listen_port: "${port}",\n  serve_html_path: "",\n}\n`,
    logLine("DEBUG", "main.cpp:85", "SDContextParams {"),
    [
      `  n_threads: ${c.threads},`,
      `  model_path: ${q(c.model)},`,
      `  clip_l_path: ${q(c.clipL)},`,
      `  clip_g_path: ${q(c.clipG)},`,
      `  clip_vision_path: "",`,
      `  t5xxl_path: ${q(c.t5xxl)},`,
      `  llm_path: ${q(c.llm)},`,
      `  llm_vision_path: "",`,
      `  diffusion_model_path: ${q(c.diffusionModel)},`,
      `  high_noise_diffusion_model_path: "",`,
      `  uncond_diffusion_model_path: "",`,
      `  embeddings_connectors_path: "",`,
      `  vae_path: ${q(c.vae)},`,
      `  vae_format: "auto",`,
      `  audio_vae_path: "",`,
      `  taesd_path: ${q(c.taesd)},`,
      `  esrgan_path: ${q(c.upscaleModel)},`,
      `  control_net_path: ${q(c.controlNet)},`,
      `  embedding_dir: ${q(c.embdDir)},`,
      `  embeddings: {`,
      ...[...(c.embeddings ?? new Map<string, string>())].map(([k, v], i, all) => `    "${k}": "${v}"${i < all.length - 1 ? "," : ""}`),
      `  }`,
      `  wtype: NONE,`,
      `  tensor_type_rules: "",`,
      `  lora_model_dir: ${q(c.loraDir)},`,
      `  hires_upscalers_dir: "",`,
      `  photo_maker_path: "",`,
      `  rng_type: cuda,`,
      `  sampler_rng_type: NONE,`,
      `  offload_params_to_cpu: ${c.offloadToCpu},`,
      `  max_vram: "0",`,
      `  stream_layers: false,`,
      `  eager_load: ${c.eagerLoad},`,
      `  backend: "",`,
      `  params_backend: "",`,
      `  split_mode: "",`,
      `  model_args: "",`,
      `  auto_fit: false,`,
      `  enable_mmap: ${c.mmap},`,
      `  control_net_cpu: false,`,
      `  clip_on_cpu: false,`,
      `  vae_on_cpu: false,`,
      `  flash_attn: ${c.flashAttn},`,
      `  diffusion_flash_attn: ${c.diffusionFlashAttn},`,
      `  diffusion_conv_direct: false,`,
      `  vae_conv_direct: false,`,
      `  prediction: NONE,`,
      `  lora_apply_mode: auto,`,
      `  force_sdxl_vae_conv_scale: false`,
      `}`,
    ].join("\n") + "\n",
  ];
  return lines.join("");
}

export interface GenerationDump {
  prompt: string;
  negativePrompt: string;
  width: number;
  height: number;
  batchCount: number;
  seed: number;
  steps: number;
  sampleMethod: string;
  scheduler: string;
  cfg: number;
  clipSkip: number;
  strength: number;
}

export function generationDump(where: string, g: GenerationDump): string {
  const sp = (method: string, steps: number) =>
    `(txt_cfg: ${g.cfg.toFixed(2)}, img_cfg: ${g.cfg.toFixed(2)}, distilled_guidance: 3.50, slg.layer_count: 0, slg.layer_start: 0.01, slg.layer_end: 0.20, slg.scale: 0.00, scheduler: ${g.scheduler}, sample_method: ${method}, sample_steps: ${steps}, eta: inf, shifted_timestep: 0, flow_shift: inf, extra_sample_args: )`;
  const body = [
    `  loras: "{`,
    `  }",`,
    `  high_noise_loras: "{`,
    `  }",`,
    `  prompt: ${q(g.prompt)},`,
    `  negative_prompt: ${q(g.negativePrompt)},`,
    `  ad_model_path: "",`,
    `  ad_prompt: "",`,
    `  ad_negative_prompt: "",`,
    `  extra_ad_args: "",`,
    `  clip_skip: ${g.clipSkip},`,
    `  width: ${g.width},`,
    `  height: ${g.height},`,
    `  batch_count: ${g.batchCount},`,
    `  qwen_image_layers: 3,`,
    `  init_image_path: "",`,
    `  end_image_path: "",`,
    `  mask_image_path: "",`,
    `  control_image_path: "",`,
    `  ref_image_paths: [],`,
    `  ref_video_paths: [],`,
    `  ref_video_audio_paths: [],`,
    `  ref_audio_paths: [],`,
    `  control_video_path: "",`,
    `  auto_resize_ref_image: true,`,
    `  increase_ref_index: false,`,
    `  pm_id_images_dir: "",`,
    `  pm_id_embed_path: "",`,
    `  pm_style_strength: 20,`,
    `  skip_layers: [7, 8, 9],`,
    `  sample_params: ${sp(g.sampleMethod, g.steps)},`,
    `  high_noise_skip_layers: [7, 8, 9],`,
    `  high_noise_sample_params: ${sp("NONE", 20)},`,
    `  custom_sigmas: [],`,
    `  cache_mode: "",`,
    `  cache_option: "",`,
    `  cache: disabled (threshold=inf, start=0.15, end=0.95),`,
    `  moe_boundary: 0.875,`,
    `  video_frames: 1,`,
    `  fps: 16,`,
    `  vace_strength: 1,`,
    `  strength: ${g.strength},`,
    `  control_strength: 0.9,`,
    `  seed: ${g.seed},`,
    `  upscale_repeats: 1,`,
    `  upscale_tile_size: 128,`,
    `  hires: { enabled: false, upscaler: "Latent", model_path: "", scale: 2, target_width: 0, target_height: 0, steps: 0, denoising_strength: 0.7, custom_sigmas: [], upscale_tile_size: 128 },`,
    `  vae_tiling_params: { 0, 0, 0, 0, 0.5, 0, 0, "" },`,
    `}`,
  ];
  return logLine("DEBUG", where, "SDGenerationParams {") + body.join("\n") + "\n";
}

/**
 * CUDA error text with "cuda" put in at run time ("@" in the source): the engine import
 * scans a build's binaries for strings such as `cudaMalloc` to name its backend, and a
 * stand-in compiled with `bun build --compile` (the Windows one) embeds this source.
 */
export function cudaText(s: string): string {
  return s.replaceAll("@", "cuda");
}
