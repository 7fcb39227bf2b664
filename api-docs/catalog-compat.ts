/** The compatibility routes (compat/) as documented routes, from the schemas their route files validate with. */
import { z } from "zod";
import * as a from "../compat/a1111/schemas";
import * as o from "../compat/openai/schemas";
import { extrasSingleImageSchema } from "../compat/a1111/upscale";
import type { RouteDoc } from "./route-doc";

const ex = (schema: z.ZodType) => (schema.meta() as { example?: unknown } | undefined)?.example;
const A = "A1111 / Forge compatible";
const O = "OpenAI compatible";
const aErr = { schema: a.errorResponseSchema, example: ex(a.errorResponseSchema) };
const oErr = { schema: o.errorResponseSchema, example: ex(o.errorResponseSchema) };
const list = (item: z.ZodType) => ({ status: 200, schema: z.array(item), example: [ex(item)] });
const nothing = { status: 200, schema: z.null(), example: null };

export const compatRoutes: RouteDoc[] = [
  { method: "post", path: "/sdapi/v1/txt2img", tag: A, summary: "Text to image (queued like any task; answers when done)", body: { schema: a.txt2imgRequestSchema, example: ex(a.txt2imgRequestSchema) }, response: { status: 200, schema: a.imagesResponseSchema, example: ex(a.imagesResponseSchema) }, error: aErr },
  { method: "post", path: "/sdapi/v1/extra-single-image", tag: A, summary: "Extras: upscale one picture ×2/×4 with an ESRGAN upscaler (upscaler_1 as /sdapi/v1/upscalers names it), through sd-cli", body: { schema: extrasSingleImageSchema, example: { image: "<base64 PNG>", upscaling_resize: 4, upscaler_1: "RealESRGAN_x4plus" } }, response: { status: 200, schema: z.object({ html_info: z.string(), image: z.string() }), example: { html_info: "<p>Upscaled ×4 with RealESRGAN_x4plus</p>", image: "<base64 PNG>" } }, error: aErr },
  { method: "post", path: "/sdapi/v1/img2img", tag: A, summary: "Image to image and inpainting (init_images, mask)", description: "init_images or mask over 8192×8192 pixels: 422 with error `image_too_large`; JSON nested deeper than 64 levels: 400 `json_too_deep`.", body: { schema: a.img2imgRequestSchema, example: ex(a.img2imgRequestSchema) }, response: { status: 200, schema: a.imagesResponseSchema, example: ex(a.imagesResponseSchema) }, error: aErr },
  { method: "get", path: "/sdapi/v1/progress", tag: A, summary: "Progress of the running task (any client's)", response: { status: 200, schema: a.progressResponseSchema, example: ex(a.progressResponseSchema) }, error: aErr },
  { method: "post", path: "/sdapi/v1/interrupt", tag: A, summary: "Stop the running task (the engine restarts)", response: { status: 200, schema: z.object({}), example: {} }, error: aErr },
  { method: "post", path: "/sdapi/v1/skip", tag: A, summary: "Same as interrupt (the engine cannot skip one picture of a batch)", response: nothing, error: aErr },
  { method: "get", path: "/sdapi/v1/sd-models", tag: A, summary: "Checkpoints (title with the short hash once computed)", response: list(a.sdModelSchema), error: aErr },
  { method: "get", path: "/sdapi/v1/sd-vae", tag: A, summary: "VAE files", response: list(a.vaeSchema), error: aErr },
  { method: "get", path: "/sdapi/v1/loras", tag: A, summary: "LoRA files", response: list(a.loraSchema), error: aErr },
  { method: "get", path: "/sdapi/v1/upscalers", tag: A, summary: "Hires-fix upscalers and RealESRGAN models", response: list(a.upscalerSchema), error: aErr },
  { method: "post", path: "/sdapi/v1/refresh-checkpoints", tag: A, summary: "No-op: model folders are read on every request", response: nothing, error: aErr },
  { method: "post", path: "/sdapi/v1/refresh-vae", tag: A, summary: "No-op: model folders are read on every request", response: nothing, error: aErr },
  { method: "get", path: "/sdapi/v1/samplers", tag: A, summary: "Samplers by A1111 name, our name as alias", response: list(a.samplerSchema), error: aErr },
  { method: "get", path: "/sdapi/v1/schedulers", tag: A, summary: "Schedule types", response: list(a.schedulerSchema), error: aErr },
  { method: "get", path: "/sdapi/v1/options", tag: A, summary: "Options (sd_model_checkpoint, …)", response: { status: 200, schema: a.optionsSchema, example: ex(a.optionsSchema) }, error: aErr },
  { method: "post", path: "/sdapi/v1/options", tag: A, summary: "Set options; sd_model_checkpoint switches the model API requests use", body: { schema: a.optionsSchema, example: { sd_model_checkpoint: "sd15.safetensors" } }, response: nothing, error: aErr },
  { method: "post", path: "/sdapi/v1/png-info", tag: A, summary: "The generation settings stored in a picture", description: "Text chunks that inflate past 4 MB each or 8 MB in all: 422 with error `metadata_too_large`.", body: { schema: a.pngInfoRequestSchema, example: ex(a.pngInfoRequestSchema) }, response: { status: 200, schema: a.pngInfoResponseSchema, example: ex(a.pngInfoResponseSchema) }, error: aErr },
  { method: "get", path: "/sdapi/v1/memory", tag: A, summary: "RAM of this app (the engine does not report GPU memory)", response: { status: 200, schema: a.memoryResponseSchema, example: ex(a.memoryResponseSchema) }, error: aErr },
  { method: "get", path: "/sdapi/v1/scripts", tag: A, summary: "A1111 scripts (none here)", response: { status: 200, schema: z.object({ txt2img: z.array(z.string()), img2img: z.array(z.string()) }), example: { txt2img: [], img2img: [] } }, error: aErr },
  { method: "get", path: "/sdapi/v1/embeddings", tag: A, summary: "Textual-inversion embeddings in models/embeddings", response: { status: 200, schema: z.object({ loaded: z.record(z.string(), z.unknown()), skipped: z.record(z.string(), z.unknown()) }), example: { loaded: { "bad-hands": { step: null, sd_checkpoint: null, sd_checkpoint_name: null, shape: 0, vectors: 0 } }, skipped: {} } }, error: aErr },
  { method: "get", path: "/sdapi/v1/face-restorers", tag: A, summary: "Face restorers (none here)", response: { status: 200, schema: z.array(z.object({ name: z.string(), cmd_dir: z.string().nullable() })), example: [] }, error: aErr },
  { method: "get", path: "/sdapi/v1/prompt-styles", tag: A, summary: "Prompt styles (none here)", response: { status: 200, schema: z.array(z.object({ name: z.string(), prompt: z.string(), negative_prompt: z.string() })), example: [] }, error: aErr },
  { method: "get", path: "/sdapi/v1/latent-upscale-modes", tag: A, summary: "Latent upscale modes for the hires pass", response: { status: 200, schema: z.array(z.object({ name: z.string() })), example: [{ name: "Latent" }] }, error: aErr },
  { method: "get", path: "/internal/ping", tag: A, summary: "Whether the server is up (SillyTavern checks it)", response: { status: 200, schema: z.object({}), example: {} } },
  { method: "post", path: "/v1/images/generations", tag: O, summary: "Create images (queued like any task)", body: { schema: o.generationRequestSchema, example: ex(o.generationRequestSchema) }, response: { status: 200, schema: o.imagesResponseSchema, example: ex(o.imagesResponseSchema) }, error: oErr },
  {
    method: "post",
    path: "/v1/images/edits",
    tag: O,
    summary: "Edit an image (multipart: image or image[], mask with transparency where to edit, prompt, …)",
    body: { schema: o.editFieldsSchema.extend({ image: z.string().describe("file(s)"), mask: z.string().optional().describe("PNG file") }), type: "multipart/form-data", example: { prompt: "add a red scarf", image: "(file)", size: "512x512" } },
    response: { status: 200, schema: o.imagesResponseSchema, example: ex(o.imagesResponseSchema) },
    error: oErr,
  },
  { method: "get", path: "/v1/models", tag: O, summary: "Installed checkpoints as models", response: { status: 200, schema: o.modelListSchema, example: ex(o.modelListSchema) }, error: oErr },
];
