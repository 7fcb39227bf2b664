/** The compatibility routes (compat/) as documented routes, from the schemas their route files validate with; the OpenAI ones in catalog-openai.ts. */
import { z } from "zod";
import * as a from "../../compat/a1111/schemas";
import { extrasBatchImagesSchema, extrasSingleImageSchema } from "../../compat/a1111/upscale";
import { openaiRoutes } from "./catalog-openai";
import { doc, ex, type RouteDoc } from "./route-doc";

const A = "A1111 / Forge compatible";
const aErr = { schema: a.errorResponseSchema, example: ex(a.errorResponseSchema) };
const list = (item: z.ZodType) => ({ status: 200, schema: z.array(item), example: [ex(item)] });
const nothing = { status: 200, schema: z.null(), example: null };

export const compatRoutes: RouteDoc[] = [
  doc("post /sdapi/v1/txt2img", A, {
    summary: "Text to image (queued like any task; answers when done)",
    body: { schema: a.txt2imgRequestSchema, example: ex(a.txt2imgRequestSchema) },
    response: { status: 200, schema: a.imagesResponseSchema, example: ex(a.imagesResponseSchema) },
    error: aErr,
  }),
  doc("post /sdapi/v1/extra-single-image", A, {
    summary:
      'Extras: upscale one picture. upscaler_1 "None" (default) returns it unchanged; ' +
      '"Lanczos"/"Nearest" resize by upscaling_resize (or to upscaling_resize_w×_h with resize_mode 1); an ESRGAN model ×2/×4 through sd-cli',
    body: { schema: extrasSingleImageSchema, example: { image: "<base64 PNG>", upscaling_resize: 2, upscaler_1: "Lanczos" } },
    response: {
      status: 200,
      schema: z.object({ html_info: z.string(), image: z.string() }),
      example: { html_info: "<p>128×128 with Lanczos</p>", image: "<base64 PNG>" },
    },
    error: aErr,
  }),
  doc("post /sdapi/v1/extra-batch-images", A, {
    summary: "Extras on several pictures (imageList: [{data, name}], at most 16), as extra-single-image",
    body: {
      schema: extrasBatchImagesSchema,
      example: { imageList: [{ data: "<base64 PNG>", name: "a.png" }], upscaling_resize: 2, upscaler_1: "Nearest" },
    },
    response: {
      status: 200,
      schema: z.object({ html_info: z.string(), images: z.array(z.string()) }),
      example: { html_info: "<p>128×128 with Nearest</p>", images: ["<base64 PNG>"] },
    },
    error: aErr,
  }),
  doc("post /sdapi/v1/img2img", A, {
    summary: "Image to image and inpainting (init_images, mask)",
    description:
      "init_images or mask over 8192×8192 pixels: 422 with error `image_too_large`; JSON nested deeper than 64 levels: 400 `json_too_deep`.",
    body: { schema: a.img2imgRequestSchema, example: ex(a.img2imgRequestSchema) },
    response: { status: 200, schema: a.imagesResponseSchema, example: ex(a.imagesResponseSchema) },
    error: aErr,
  }),
  doc("get /sdapi/v1/progress", A, {
    summary: "Progress of a running task (any client's): the one asked about, else the oldest running",
    description:
      "With several tasks running at once (one per GPU), `?id_task=` names the task: our task id, or the `force_task_id` an A1111 " +
      "txt2img/img2img request gave (as A1111's /internal/progress takes `id_task`); a task that does not run now reads as idle.",
    response: { status: 200, schema: a.progressResponseSchema, example: ex(a.progressResponseSchema) },
    error: aErr,
  }),
  doc("post /sdapi/v1/interrupt", A, {
    summary: "Stop the running task (the engine restarts)",
    response: { status: 200, schema: z.object({}), example: {} },
    error: aErr,
  }),
  doc("post /sdapi/v1/skip", A, {
    summary: "Same as interrupt (the engine cannot skip one picture of a batch)",
    response: nothing,
    error: aErr,
  }),
  doc("get /sdapi/v1/sd-models", A, {
    summary: "Checkpoints (title with the short hash once computed)",
    response: list(a.sdModelSchema),
    error: aErr,
  }),
  doc("get /sdapi/v1/sd-vae", A, { summary: "VAE files", response: list(a.vaeSchema), error: aErr }),
  doc("get /sdapi/v1/loras", A, { summary: "LoRA files", response: list(a.loraSchema), error: aErr }),
  doc("get /sdapi/v1/upscalers", A, {
    summary: "Upscalers in A1111's order: None, Lanczos, Nearest, the RealESRGAN models, then the latent hires modes",
    response: list(a.upscalerSchema),
    error: aErr,
  }),
  doc("post /sdapi/v1/refresh-checkpoints", A, {
    summary: "No-op: model folders are read on every request",
    response: nothing,
    error: aErr,
  }),
  doc("post /sdapi/v1/refresh-vae", A, {
    summary: "No-op: model folders are read on every request",
    response: nothing,
    error: aErr,
  }),
  doc("get /sdapi/v1/samplers", A, {
    summary:
      "Samplers that run, by A1111 name, our name as alias (other A1111 names such as UniPC or PLMS run the nearest of these, named in info.notes)",
    response: list(a.samplerSchema),
    error: aErr,
  }),
  doc("get /sdapi/v1/schedulers", A, { summary: "Schedule types", response: list(a.schedulerSchema), error: aErr }),
  doc("get /sdapi/v1/options", A, {
    summary: "Every standard A1111 option with its value (stored, else A1111's default); sd_model_checkpoint is the model API requests use",
    response: { status: 200, schema: a.optionsSchema, example: ex(a.optionsSchema) },
    error: aErr,
  }),
  doc("post /sdapi/v1/options", A, {
    summary:
      "Set options: standard A1111 keys are kept and read back (sd_model_checkpoint switches the model API requests use); " +
      "unknown keys, values over 4 KB and API-restricted ones are not kept and are named in `ignored` (null when all were kept)",
    body: { schema: a.optionsSchema, example: { sd_model_checkpoint: "sd15.safetensors", send_seed: false } },
    response: {
      status: 200,
      schema: z.union([z.null(), z.object({ ignored: z.record(z.string(), z.string()) })]),
      example: { ignored: { my_key: "not an A1111 option" } },
    },
    error: aErr,
  }),
  doc("post /sdapi/v1/png-info", A, {
    summary: "The generation settings stored in a picture",
    description: "Text chunks that inflate past 4 MB each or 8 MB in all: 422 with error `metadata_too_large`.",
    body: { schema: a.pngInfoRequestSchema, example: ex(a.pngInfoRequestSchema) },
    response: { status: 200, schema: a.pngInfoResponseSchema, example: ex(a.pngInfoResponseSchema) },
    error: aErr,
  }),
  doc("get /sdapi/v1/memory", A, {
    summary: "RAM of this app (the engine does not report GPU memory)",
    response: { status: 200, schema: a.memoryResponseSchema, example: ex(a.memoryResponseSchema) },
    error: aErr,
  }),
  doc("get /sdapi/v1/scripts", A, {
    summary:
      'Selectable scripts that run: img2img "sd upscale" (img2img, then each picture enlarged by script_args[3] with upscaler script_args[2]); ' +
      "other script_name values are a 422",
    response: {
      status: 200,
      schema: z.object({ txt2img: z.array(z.string()), img2img: z.array(z.string()) }),
      example: { txt2img: [], img2img: ["sd upscale"] },
    },
    error: aErr,
  }),
  doc("get /sdapi/v1/script-info", A, {
    summary: "The arguments of the scripts that run",
    response: {
      status: 200,
      schema: z.array(z.record(z.string(), z.unknown())),
      example: [{ name: "sd upscale", is_alwayson: false, is_img2img: true, args: [] }],
    },
    error: aErr,
  }),
  doc("get /sdapi/v1/hypernetworks", A, {
    summary: "Hypernetworks (none: the engine has none)",
    response: { status: 200, schema: z.array(z.object({ name: z.string(), path: z.string().nullable() })), example: [] },
    error: aErr,
  }),
  doc("get /sdapi/v1/realesrgan-models", A, {
    summary: "ESRGAN models in models/realesrgan",
    response: {
      status: 200,
      schema: z.array(z.object({ name: z.string(), path: z.string().nullable(), scale: z.number() })),
      example: [{ name: "RealESRGAN_x4plus", path: "/data/models/realesrgan/RealESRGAN_x4plus.safetensors", scale: 4 }],
    },
    error: aErr,
  }),
  doc("get /sdapi/v1/extensions", A, {
    summary: "A1111 extensions (none)",
    response: { status: 200, schema: z.array(z.record(z.string(), z.unknown())), example: [] },
    error: aErr,
  }),
  doc("get /sdapi/v1/cmd-flags", A, {
    summary: "A1111 command-line flags that describe this server (api, listen, port, model folders)",
    response: {
      status: 200,
      schema: z.record(z.string(), z.unknown()),
      example: { api: true, listen: false, port: 9000, ckpt_dir: "/data/models/stable-diffusion" },
    },
    error: aErr,
  }),
  doc("post /sdapi/v1/refresh-embeddings", A, {
    summary: "No-op: model folders are read on every request",
    response: nothing,
    error: aErr,
  }),
  doc("post /sdapi/v1/refresh-loras", A, {
    summary: "No-op: model folders are read on every request",
    response: nothing,
    error: aErr,
  }),
  doc("post /sdapi/v1/unload-checkpoint", A, {
    summary: "No-op: the engine loads the model a picture needs",
    response: { status: 200, schema: z.object({}), example: {} },
    error: aErr,
  }),
  doc("post /sdapi/v1/reload-checkpoint", A, {
    summary: "No-op: the engine loads the model a picture needs",
    response: { status: 200, schema: z.object({}), example: {} },
    error: aErr,
  }),
  doc("post /sdapi/v1/interrogate", A, {
    summary: 'Not available: 404 "Model not found" (no CLIP/DeepDanbooru interrogator), as A1111 answers an unknown interrogator',
    response: {
      status: 404,
      schema: a.errorResponseSchema,
      example: {
        error: "HTTPException",
        detail: "Model not found: Easy Diffusion has no interrogator (clip, deepdanbooru)",
        body: "",
        errors: "404: Model not found: …",
      },
    },
  }),
  ...["create/embedding", "create/hypernetwork", "train/embedding", "train/hypernetwork"].map((p): RouteDoc => ({
    method: "post",
    path: `/sdapi/v1/${p}`,
    tag: A,
    summary: "Not available: 400 (no training here)",
    response: {
      status: 400,
      schema: a.errorResponseSchema,
      example: {
        error: "HTTPException",
        detail: "Easy Diffusion does not create or train embeddings and hypernetworks (the engine only uses them)",
        body: "",
        errors: "400: …",
      },
    },
  })),
  ...["server-kill", "server-restart", "server-stop"].map((p): RouteDoc => ({
    method: "post",
    path: `/sdapi/v1/${p}`,
    tag: A,
    summary: "Not available: 403 (Easy Diffusion is stopped on the computer running it)",
    response: {
      status: 403,
      schema: a.errorResponseSchema,
      example: {
        error: "HTTPException",
        detail: "the server is not stopped through the API: quit Easy Diffusion on the computer running it",
        body: "",
        errors: "403: …",
      },
    },
  })),
  doc("get /sdapi/v1/embeddings", A, {
    summary: "Textual-inversion embeddings in models/embeddings",
    response: {
      status: 200,
      schema: z.object({ loaded: z.record(z.string(), z.unknown()), skipped: z.record(z.string(), z.unknown()) }),
      example: { loaded: { "bad-hands": { step: null, sd_checkpoint: null, sd_checkpoint_name: null, shape: 0, vectors: 0 } }, skipped: {} },
    },
    error: aErr,
  }),
  doc("get /sdapi/v1/face-restorers", A, {
    summary: "Face restorers (none here)",
    response: { status: 200, schema: z.array(z.object({ name: z.string(), cmd_dir: z.string().nullable() })), example: [] },
    error: aErr,
  }),
  doc("get /sdapi/v1/prompt-styles", A, {
    summary: "Prompt styles (none here)",
    response: { status: 200, schema: z.array(z.object({ name: z.string(), prompt: z.string(), negative_prompt: z.string() })), example: [] },
    error: aErr,
  }),
  doc("get /sdapi/v1/latent-upscale-modes", A, {
    summary: "Latent upscale modes for the hires pass",
    response: { status: 200, schema: z.array(z.object({ name: z.string() })), example: [{ name: "Latent" }] },
    error: aErr,
  }),
  doc("get /internal/ping", A, {
    summary: "Whether the server is up (SillyTavern checks it)",
    response: { status: 200, schema: z.object({}), example: {} },
  }),
  ...openaiRoutes,
];
