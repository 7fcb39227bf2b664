/**
 * The A1111/Forge API's request and response shapes (modules/api/models.py:
 * StableDiffusionTxt2ImgProcessingAPI, …Img2Img…, TextToImageResponse,
 * ProgressResponse, SDModelItem, …) as zod schemas. The routes validate with
 * them and the OpenAPI document is generated from them. Like pydantic there,
 * unknown fields are accepted and ignored; defaults are A1111's.
 */
import { z } from "zod";
import { SPEEDS } from "../../common/speed";

const common = {
  prompt: z.string().default("").describe("The prompt; `<lora:name:weight>` tags work."),
  negative_prompt: z.string().default(""),
  styles: z.array(z.string()).optional().describe("Ignored (prompt styles are an A1111 feature)."),
  seed: z.number().int().default(-1).describe("-1 for a random seed."),
  subseed: z.number().int().default(-1).describe("Ignored (no variation seeds in the engine)."),
  subseed_strength: z.number().default(0),
  sampler_name: z.string().optional().describe('A1111 sampler name, e.g. "Euler a", "DPM++ 2M" or "DPM++ 2M Karras"; our names (euler_a) work too.'),
  sampler_index: z.string().optional().describe("Old name of sampler_name."),
  scheduler: z.string().optional().describe('A1111 schedule type, e.g. "Karras", "Automatic".'),
  batch_size: z.number().int().min(1).default(1),
  n_iter: z.number().int().min(1).default(1),
  steps: z.number().int().default(20),
  cfg_scale: z.number().default(7),
  distilled_cfg_scale: z.number().optional().describe("Forge: distilled guidance for Flux-type models."),
  width: z.number().int().default(512),
  height: z.number().int().default(512),
  restore_faces: z.boolean().optional().describe("Ignored (no face restoration); a note says so."),
  tiling: z.boolean().optional(),
  denoising_strength: z.number().min(0).max(1).optional(),
  override_settings: z.record(z.string(), z.unknown()).default({}).describe("sd_model_checkpoint, sd_vae and CLIP_stop_at_last_layers are used."),
  override_settings_restore_afterwards: z.boolean().default(true),
  send_images: z.boolean().default(true),
  save_images: z.boolean().default(false).describe("Ignored: the setting 'keep API pictures' decides."),
  alwayson_scripts: z.record(z.string(), z.unknown()).default({}).describe("Ignored (no A1111 extensions); a note says so."),
  script_name: z.string().nullish(),
  script_args: z.array(z.unknown()).default([]),
  speed: z
    .enum(SPEEDS)
    .optional()
    .describe("Easy Diffusion extra: quality (default from Settings), balanced or fast (the engine reuses steps that change little)."),
};

export const txt2imgRequestSchema = z
  .looseObject({
    ...common,
    enable_hr: z.boolean().default(false),
    hr_scale: z.number().default(2),
    hr_upscaler: z.string().nullish(),
    hr_second_pass_steps: z.number().int().default(0),
    hr_resize_x: z.number().int().default(0),
    hr_resize_y: z.number().int().default(0),
  })
  .meta({
    id: "A1111Txt2ImgRequest",
    example: {
      prompt: "a lighthouse at dusk",
      negative_prompt: "blurry",
      steps: 20,
      sampler_name: "DPM++ 2M",
      scheduler: "Karras",
      cfg_scale: 7,
      width: 512,
      height: 512,
      seed: -1,
    },
  });

export const img2imgRequestSchema = z
  .looseObject({
    ...common,
    init_images: z.array(z.string()).min(1).describe("Base64 images (or data URLs); the first one is used."),
    mask: z.string().nullish().describe("Base64 mask: white is repainted."),
    mask_blur: z.number().int().optional(),
    inpainting_fill: z.number().int().min(0).max(3).default(0).describe("Ignored (the engine always starts from the original); a note says so."),
    inpaint_full_res: z.boolean().optional(),
    inpainting_mask_invert: z.number().int().min(0).max(1).default(0),
    resize_mode: z.number().int().default(0),
    include_init_images: z.boolean().default(false),
    denoising_strength: z.number().min(0).max(1).default(0.75),
  })
  .meta({
    id: "A1111Img2ImgRequest",
    example: { prompt: "the same lighthouse in winter", init_images: ["iVBORw0KGgo…"], denoising_strength: 0.6, steps: 20, sampler_name: "Euler a" },
  });

export type Txt2ImgRequest = z.output<typeof txt2imgRequestSchema>;
export type Img2ImgRequest = z.output<typeof img2imgRequestSchema>;

export const imagesResponseSchema = z
  .object({
    images: z.array(z.string()).describe("Base64 PNG (or the saved format), one per picture."),
    parameters: z.record(z.string(), z.unknown()).describe("The request as received."),
    info: z.string().describe("JSON string: prompt, all_prompts, seed, all_seeds, infotexts, sampler_name, … (A1111's Processed.js())."),
  })
  .meta({
    id: "A1111ImagesResponse",
    example: {
      images: ["iVBORw0KGgo…"],
      parameters: { prompt: "a lighthouse at dusk" },
      info: '{"prompt":"a lighthouse at dusk","seed":42,"all_seeds":[42],"infotexts":["a lighthouse at dusk\\nSteps: 20, …"]}',
    },
  });

export const progressResponseSchema = z
  .object({
    progress: z.number().describe("0–1 over the whole job (all pictures of the running task)."),
    eta_relative: z.number().describe("Seconds left, estimated."),
    state: z.object({
      skipped: z.boolean(),
      interrupted: z.boolean(),
      stopping_generation: z.boolean(),
      job: z.string(),
      job_count: z.number().int(),
      job_timestamp: z.string(),
      job_no: z.number().int(),
      sampling_step: z.number().int(),
      sampling_steps: z.number().int(),
    }),
    current_image: z.string().nullable().describe("No live previews: always null."),
    textinfo: z.string().nullable(),
    current_task: z.string().nullable().optional(),
  })
  .meta({
    id: "A1111Progress",
    example: {
      progress: 0.45,
      eta_relative: 3.2,
      state: {
        skipped: false,
        interrupted: false,
        stopping_generation: false,
        job: "t1",
        job_count: 1,
        job_timestamp: "20260101120000",
        job_no: 0,
        sampling_step: 9,
        sampling_steps: 20,
      },
      current_image: null,
      textinfo: null,
    },
  });

export const sdModelSchema = z
  .object({
    title: z.string(),
    model_name: z.string(),
    hash: z.string().nullable(),
    sha256: z.string().nullable(),
    filename: z.string(),
    config: z.string().nullable(),
  })
  .meta({
    id: "A1111SdModel",
    example: {
      title: "sd15.safetensors [6ce0161689]",
      model_name: "sd15",
      hash: "6ce0161689",
      sha256: "6ce0161689b3853acaa03779ec93eafe75a02f4ced659bee03f50797806fa2fa",
      filename: "/data/models/stable-diffusion/sd15.safetensors",
      config: null,
    },
  });

export const samplerSchema = z
  .object({ name: z.string(), aliases: z.array(z.string()), options: z.record(z.string(), z.string()) })
  .meta({ id: "A1111Sampler", example: { name: "DPM++ 2M", aliases: ["dpm++2m"], options: {} } });
export const schedulerSchema = z
  .object({ name: z.string(), label: z.string(), aliases: z.array(z.string()).nullable(), default_rho: z.number(), need_inner_model: z.boolean() })
  .meta({ id: "A1111Scheduler", example: { name: "karras", label: "Karras", aliases: null, default_rho: 7, need_inner_model: false } });
export const loraSchema = z
  .object({ name: z.string(), alias: z.string(), path: z.string(), metadata: z.record(z.string(), z.unknown()) })
  .meta({ id: "A1111Lora", example: { name: "detail", alias: "detail", path: "/data/models/lora/detail.safetensors", metadata: {} } });
export const upscalerSchema = z
  .object({
    name: z.string(),
    model_name: z.string().nullable(),
    model_path: z.string().nullable(),
    model_url: z.string().nullable(),
    scale: z.number().nullable(),
  })
  .meta({ id: "A1111Upscaler", example: { name: "Latent", model_name: null, model_path: null, model_url: null, scale: 2 } });
export const vaeSchema = z
  .object({ model_name: z.string(), filename: z.string() })
  .meta({ id: "A1111Vae", example: { model_name: "vae-ft-mse.safetensors", filename: "/data/models/vae/vae-ft-mse.safetensors" } });

export const optionsSchema = z
  .record(z.string(), z.unknown())
  .meta({
    id: "A1111Options",
    example: { sd_model_checkpoint: "sd15.safetensors [6ce0161689]", sd_vae: "Automatic", CLIP_stop_at_last_layers: 1, samples_format: "png" },
  });

export const pngInfoRequestSchema = z
  .looseObject({ image: z.string().describe("Base64 image or data URL.") })
  .meta({ id: "A1111PngInfoRequest", example: { image: "data:image/png;base64,iVBORw0KGgo…" } });
export const pngInfoResponseSchema = z
  .object({ info: z.string(), items: z.record(z.string(), z.unknown()), parameters: z.record(z.string(), z.unknown()) })
  .meta({
    id: "A1111PngInfoResponse",
    example: { info: "a cat\nSteps: 20, Sampler: Euler a, Seed: 1", items: {}, parameters: { Prompt: "a cat", Steps: "20", Sampler: "Euler a", Seed: "1" } },
  });

export const memoryResponseSchema = z
  .object({ ram: z.record(z.string(), z.unknown()), cuda: z.record(z.string(), z.unknown()) })
  .meta({ id: "A1111Memory", example: { ram: { free: 8e9, used: 3e8, total: 16e9 }, cuda: { error: "the engine does not report GPU memory" } } });

/** A1111's error body (api.py handle_exception), for every failure. */
export const errorResponseSchema = z
  .object({ error: z.string(), detail: z.unknown(), body: z.unknown(), errors: z.unknown() })
  .meta({ id: "A1111Error", example: { error: "HTTPException", detail: "Sampler not found", body: "", errors: "404: Sampler not found" } });
