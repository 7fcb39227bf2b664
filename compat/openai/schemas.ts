/**
 * The OpenAI images API's shapes (POST /v1/images/generations and edits,
 * GET /v1/models) as zod schemas: the routes validate with them and the
 * OpenAPI document is generated from them. Extra fields our engine knows
 * (negative_prompt, seed, steps, cfg_scale, sampler, strength, speed) are accepted.
 */
import { z } from "zod";
import { SPEEDS } from "../../common/speed";

const SIZE = /^(\d+)x(\d+)$/;

const extras = {
  negative_prompt: z.string().optional(),
  seed: z.number().int().optional(),
  steps: z.number().int().optional(),
  cfg_scale: z.number().optional(),
  sampler: z.string().optional().describe('Ours ("euler_a") or A1111\'s ("DPM++ 2M Karras").'),
  scheduler: z.string().optional(),
  speed: z.enum(SPEEDS).optional().describe("Easy Diffusion: quality (default from Settings), balanced or fast (the engine reuses steps that change little)."),
};

const shared = {
  prompt: z.string().min(1, "prompt is required"),
  model: z.string().optional().describe("A checkpoint (file name or bare name); another name (dall-e-3, gpt-image-1) uses the current model."),
  n: z.coerce.number().int().min(1).max(8).default(1),
  size: z
    .string()
    .regex(/^(auto|\d+x\d+)$/, 'size must be "WIDTHxHEIGHT" (e.g. "1024x1024") or "auto"')
    .default("auto")
    .describe('"WxH" in multiples of 64; "auto" is 1024x1024.'),
  response_format: z.enum(["b64_json", "url"]).default("b64_json"),
  output_format: z.enum(["png", "jpeg", "webp"]).default("png"),
  output_compression: z.coerce.number().int().min(0).max(100).optional(),
  quality: z
    .enum(["auto", "low", "medium", "high", "standard", "hd"])
    .default("auto")
    .describe("Steps when `steps` is not given: low 12, medium/standard/auto 20, high/hd 30."),
  background: z.string().optional(),
  moderation: z.string().optional(),
  style: z.string().optional(),
  user: z.string().optional(),
  ...extras,
};

export const generationRequestSchema = z
  .looseObject(shared)
  .meta({
    id: "OpenAIImageGenerationRequest",
    example: { prompt: "a watercolor fox in the snow", n: 1, size: "512x512", response_format: "b64_json", negative_prompt: "blurry", seed: 42 },
  });

/** The text fields of an edit (multipart); `image`/`image[]` and `mask` are files. */
export const editFieldsSchema = z
  .looseObject({
    ...shared,
    seed: z.coerce.number().int().optional(),
    steps: z.coerce.number().int().optional(),
    cfg_scale: z.coerce.number().optional(),
    strength: z.coerce.number().min(0).max(1).default(0.75).describe("How much of the picture changes (0–1)."),
  })
  .meta({ id: "OpenAIImageEditFields", example: { prompt: "add a red scarf", size: "512x512", strength: 0.6 } });

/**
 * The text fields of a variation (multipart; `image` is the file): OpenAI's
 * model, n, size, response_format, user; the prompt is optional (the
 * picture's own prompt when it carries one) and `strength` says how far the
 * variation may go (0–1).
 */
export const variationFieldsSchema = z
  .looseObject({
    ...shared,
    prompt: z.string().optional().describe("Optional: by default the prompt stored in the picture (pictures made here or by A1111), else none."),
    size: z
      .string()
      .regex(/^(auto|\d+x\d+)$/, 'size must be "WIDTHxHEIGHT" (e.g. "1024x1024") or "auto"')
      .default("auto")
      .describe('"WxH" in multiples of 64; "auto" is the picture\'s size (rounded down to 64).'),
    seed: z.coerce.number().int().optional(),
    steps: z.coerce.number().int().optional(),
    cfg_scale: z.coerce.number().optional(),
    strength: z.coerce.number().min(0).max(1).default(0.7).describe("How far the variation may go from the picture (0–1)."),
  })
  .meta({ id: "OpenAIImageVariationFields", example: { n: 2, size: "512x512", response_format: "b64_json" } });

export const modelSchema = z
  .object({ id: z.string(), object: z.literal("model"), created: z.number().int(), owned_by: z.string() })
  .meta({ id: "OpenAIModel", example: { id: "sd15.safetensors", object: "model", created: 1767225600, owned_by: "easy-diffusion" } });

export const imagesResponseSchema = z
  .object({
    created: z.number().int(),
    data: z.array(z.object({ b64_json: z.string().optional(), url: z.string().optional(), revised_prompt: z.string().optional() })),
    output_format: z.enum(["png", "jpeg", "webp"]),
    size: z.string(),
    quality: z.string(),
  })
  .meta({
    id: "OpenAIImagesResponse",
    example: { created: 1767225600, data: [{ b64_json: "iVBORw0KGgo…" }], output_format: "png", size: "512x512", quality: "medium" },
  });

export const modelListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(z.object({ id: z.string(), object: z.literal("model"), created: z.number().int(), owned_by: z.string() })),
  })
  .meta({
    id: "OpenAIModelList",
    example: { object: "list", data: [{ id: "sd15.safetensors", object: "model", created: 1767225600, owned_by: "easy-diffusion" }] },
  });

export const errorResponseSchema = z
  .object({ error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }) })
  .meta({
    id: "OpenAIError",
    example: { error: { message: 'size must be "WIDTHxHEIGHT" (e.g. "1024x1024") or "auto"', type: "invalid_request_error", param: "size", code: null } },
  });

/** "512x768" → {width, height}; "auto" → 1024×1024. */
export function parseSize(size: string): { width: number; height: number } {
  const m = SIZE.exec(size);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : { width: 1024, height: 1024 };
}

export const STEPS_BY_QUALITY: Record<string, number> = { low: 12, medium: 20, standard: 20, auto: 20, high: 30, hd: 30 };
