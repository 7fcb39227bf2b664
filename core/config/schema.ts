/**
 * The one schema of config.yaml. Every key is documented here with
 * `.describe()`; the Settings app renders this schema (as JSON Schema) as a form.
 */
import { z } from "zod";

// Global, and set here because this module is loaded before any other schema is built (read at construction):
// zod compiles a fast parser per object schema with `new Function` on first parse, which costs more at startup
// (~3 ms for the config alone) than it saves on the few objects the app ever parses. Results are the same.
z.config({ jitless: true });

export const CONTRACT_RELEASE_TAG = "master-827-97d2990";
export const HUGGINGFACE_DEFAULT_BASE = "https://huggingface.co";

export const configSchema = z.object({
  server: z
    .object({
      host: z.string().min(1).default("127.0.0.1").describe("Address to listen on. Keep 127.0.0.1 unless you know why."),
      port: z.number().int().min(1).max(65535).default(9000).describe("Port to listen on; the next free one is used if taken."),
      allowed_hosts: z
        .array(z.string())
        .default([])
        .describe("Extra host names allowed to reach the app (e.g. this machine's LAN name when host is 0.0.0.0)."),
      allow_lan: z
        .boolean()
        .default(false)
        .describe(
          "Allow other devices on this network (a phone, another computer): the app listens on all interfaces, " +
            "and every other device needs the access token (QR code in Settings).",
        ),
      cors_origins: z
        .array(z.string())
        .default([])
        .describe(
          "Web pages (origins such as https://tool.example) allowed to call the API from a browser. " +
            "They still need the token unless they run on this computer.",
        ),
    })
    .describe("Web server"),
  ui: z
    .object({
      open_window: z.boolean().default(true).describe("Open the app window on start (off: open in the browser yourself)."),
      theme: z
        .enum(["dark", "light", "system"])
        .default("dark")
        .describe("Colours of the app: dark, light, or system (follows the computer's light/dark setting as it changes)."),
      font_size: z.number().int().min(10).max(24).default(14).describe("Size of the app's text in pixels (10–24); the whole UI's text scales with it."),
      notify_when_done: z.boolean().default(false).describe("Show a desktop notification when the queue has finished all its tasks."),
      sound_when_done: z.boolean().default(false).describe("Play a short sound when the queue has finished all its tasks."),
      newest_first: z.boolean().default(true).describe("List the Image tab's results and finished tasks newest first (off: oldest first)."),
    })
    .describe("User interface"),
  engine: z
    .object({
      backend: z
        .enum(["auto", "cuda", "vulkan", "rocm", "metal", "cpu"])
        .default("auto")
        .describe("Which stable-diffusion.cpp build to use; auto picks the best for this machine."),
      release_repo: z.string().default("leejet/stable-diffusion.cpp").describe("GitHub repository the engine builds come from."),
      release_tag: z.string().default(CONTRACT_RELEASE_TAG).describe("Release tag to install, or 'latest'."),
      api_base: z.url().default("https://api.github.com").describe("GitHub API base URL (for mirrors)."),
      flash_attention: z.boolean().default(true).describe("Use flash attention (less memory, usually faster on GPUs)."),
      offload_to_cpu: z.boolean().default(false).describe("Older setting, kept for existing config files: on, it is the same as memory: low."),
      memory: z
        .enum(["auto", "fastest", "low", "very_low"])
        .default("auto")
        .describe(
          "GPU memory use: auto (the engine places the model to fit, --auto-fit), fastest (everything on the GPU), " +
            "low (weights in RAM, --offload-to-cpu), very_low (weights streamed a layer at a time: slowest, for models larger than the GPU). " +
            "Out of memory retries once a level lower.",
        ),
      leave_free_gb: z
        .number()
        .min(0)
        .max(256)
        .default(0)
        .describe("With memory: auto or very_low, GB of GPU memory to leave free for other apps (--max-vram -N; 0: the engine's own margin)."),
      device: z
        .string()
        .max(64)
        .regex(/^[A-Za-z0-9_.-]*$/, "a device name as the engine lists it (e.g. CUDA0, Vulkan0, CPU)")
        .default("")
        .describe("The device the engine runs on, as it lists them (Engine tab); empty: automatic (--backend)."),
      devices: z
        .array(z.string().max(64).regex(/^[A-Za-z0-9_.-]+$/, "a device name as the engine lists it (e.g. CUDA0, Vulkan0)"))
        .max(64)
        .default([])
        .describe(
          "The GPUs that make pictures, as the engine lists them (Engine tab); empty: Automatic, every GPU. " +
            "With two or more, each GPU runs its own engine and the queue runs one task on each at once.",
        ),
      speed: z
        .enum(["quality", "balanced", "fast"])
        .default("quality")
        .describe(
          "Default Speed of a picture: quality (every step computed), balanced or fast " +
            "(the engine reuses steps that change little: up to about 2× faster, slightly different pictures).",
        ),
      vae_tiling: z.boolean().default(false).describe("Decode images in tiles to save GPU memory."),
      vae_tile_size: z.number().int().min(64).max(4096).default(512).describe("Tile size in pixels when VAE tiling is on."),
      mmap: z.boolean().default(true).describe("Memory-map model files instead of reading them into RAM."),
      threads: z.number().int().min(0).max(256).default(0).describe("CPU threads for the engine (0 = automatic)."),
    })
    .describe("Engine"),
  outputs: z
    .object({
      folder_template: z.string().default("$yyyy-$MM-$dd").describe("Sub-folder of outputs/ for each image ($yyyy $MM $dd $HH $mm $ss $id $p $s $n $ts)."),
      file_template: z.string().default("$ts-$s-$n").describe("File name of each image, without extension (same placeholders)."),
      format: z.enum(["png", "jpeg", "webp"]).default("png").describe("Default image format."),
      quality: z.number().int().min(1).max(100).default(90).describe("Quality for jpeg and webp."),
    })
    .describe("Saved images"),
  api: z
    .object({
      keep_pictures: z
        .boolean()
        .default(true)
        .describe(
          "Keep pictures made through the A1111 and OpenAI compatible APIs in outputs/ and the history, like any task " +
            "(off: kept in memory only until fetched).",
        ),
    })
    .describe("Compatible APIs (A1111 /sdapi/v1, OpenAI /v1)"),
  models: z
    .object({
      extra_folders: z
        .array(z.string())
        .default([])
        .describe(
          "More model folders to use, searched after the app's own: an A1111/Forge, ComfyUI or Easy Diffusion 3 folder (its root or its models/ folder).",
        ),
      civitai_lookup: z
        .boolean()
        .default(true)
        .describe("Look up installed models on Civitai by their hash (name, base model, trigger words, preview)."),
      warm_start: z
        .boolean()
        .default(true)
        .describe("Start the engine with the last used models when the app starts, so the first picture does not wait."),
      idle_unload_minutes: z
        .number()
        .int()
        .min(0)
        .max(10080)
        .default(0)
        .describe("Stop the engine (freeing memory) after this many idle minutes (0 = never)."),
      huggingface_base: z
        .url()
        .default(HUGGINGFACE_DEFAULT_BASE)
        .describe("Hugging Face base URL (for mirrors); the HF_ENDPOINT environment variable changes the default."),
      civitai_base: z.url().default("https://civitai.com").describe("Civitai base URL."),
      huggingface_token: z
        .string()
        .default("")
        .meta({ writeOnly: true })
        .describe("Hugging Face access token, for gated models (sent only to the Hugging Face host)."),
      civitai_token: z
        .string()
        .default("")
        .meta({ writeOnly: true })
        .describe("Civitai API key, for models that need a login (sent only to the Civitai host)."),
      guest_downloads: z
        .boolean()
        .default(false)
        .describe(
          "Other devices may download models: a device with the access token may start downloads into the model folders, " +
            "from the Hugging Face and Civitai hosts above and the starter catalogue only.",
        ),
    })
    .describe("Models"),
  log: z
    .object({
      level: z.enum(["debug", "info", "warn", "error"]).default("info").describe("How much to write to the log."),
    })
    .describe("Logging"),
});

export type Config = z.infer<typeof configSchema>;

export function defaultConfig(): Config {
  return configSchema.parse({ server: {}, ui: {}, engine: {}, outputs: {}, api: {}, models: {}, log: {} });
}

/** Each key without its default, so a patch names only what the client sent. */
function patchSection(section: z.ZodObject): z.ZodObject {
  const keys = Object.entries(section.shape).map(([key, field]) => {
    const bare = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
    return [key, bare.optional()];
  });
  return z.object(Object.fromEntries(keys)).strict();
}

let patchSchema: z.ZodObject | undefined;

/**
 * A PATCH body: any subset of sections and keys. Defaults are stripped: with
 * them, `{server:{port}}` would also reset every other server key in the file.
 * Built on first use, not at startup.
 */
export function configPatchSchema(): z.ZodObject {
  patchSchema ??= z
    .object(
      Object.fromEntries(Object.entries(configSchema.shape).map(([k, v]) => [k, patchSection(v as z.ZodObject).optional()])) as {
        [K in keyof Config]: z.ZodOptional<z.ZodObject>;
      },
    )
    .strict();
  return patchSchema;
}

export type ConfigPatch = { [K in keyof Config]?: Partial<Config[K]> };

export function configJsonSchema() {
  return z.toJSONSchema(configSchema, { io: "input" });
}
