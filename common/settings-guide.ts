/**
 * How the Settings tab presents config.yaml: the groups in words, and for
 * every key of the schema (schema.ts) its label, its group and, where the
 * schema's description is written for the file rather than for a person, a
 * one-line help. A new key needs one line here; tests/launcher/settings-guide
 * fails while a key has none. Browser-safe: no imports (the UI uses it).
 */

export type SettingsGroupId = "image" | "models" | "engine" | "devices" | "workers" | "appearance" | "plugins" | "advanced";

export interface SettingsGroup {
  id: SettingsGroupId;
  title: string;
  /** One line under the heading (a group with a card has the card's words). */
  blurb?: string;
  /** A card of its own shown in this group (the UI decides what it is). */
  card?: "lan" | "plugins" | "rpc-workers";
  /** Words a search matches to show the card. */
  cardWords?: string;
  /** Folded until opened (or until a search finds something in it). */
  folded?: boolean;
}

export interface SettingGuide {
  label: string;
  group: SettingsGroupId;
  /** One line of help; without it the schema's description is shown. */
  help?: string;
  /** Shown by the group's card instead of as a field (never twice). */
  inCard?: true;
  /** Names of a choice's values where capitalising the value is not right ("png" → "PNG"). */
  choices?: Readonly<Record<string, string>>;
}

/** In the order the page shows them. */
export const SETTINGS_GROUPS: readonly SettingsGroup[] = [
  { id: "image", title: "Image defaults", blurb: "How pictures are saved: format, quality and file names." },
  { id: "models", title: "Models and downloads", blurb: "Where models come from, your existing model folders and download tokens." },
  { id: "engine", title: "Engine and GPU", blurb: "Which engine build runs and how it uses the GPU's memory." },
  {
    id: "devices",
    title: "Other devices",
    card: "lan",
    cardWords: "lan network phone tablet computer token qr code login link allow other devices",
  },
  {
    id: "workers",
    title: "Workers",
    card: "rpc-workers",
    cardWords: "worker workers rpc remote gpu other computer pairing token model too large split",
  },
  { id: "appearance", title: "Appearance", blurb: "Theme, text size, order of results and the done notice." },
  { id: "plugins", title: "Plugins", card: "plugins", cardWords: "plugin plugins add-on install .plugin.js" },
  { id: "advanced", title: "Advanced", blurb: "Network, download sources, engine tuning and logging. The defaults suit almost everyone.", folded: true },
];

/** Every config key ("section.key"), in the order each group lists them. */
export const SETTINGS_GUIDE: Readonly<Record<string, SettingGuide>> = {
  "outputs.format": {
    label: "Image format",
    group: "image",
    help: "File format of saved pictures: PNG (lossless, keeps the settings), JPEG or WebP (smaller).",
    choices: { png: "PNG", jpeg: "JPEG", webp: "WebP" },
  },
  "outputs.quality": { label: "JPEG/WebP quality", group: "image", help: "Higher is better looking and larger (PNG ignores it)." },
  "outputs.folder_template": { label: "Folder for each day", group: "image" },
  "outputs.file_template": { label: "File name", group: "image" },
  "api.keep_pictures": { label: "Keep pictures made by other programs", group: "image" },

  "models.extra_folders": { label: "More model folders", group: "models" },
  "models.warm_start": { label: "Load the last models at start", group: "models" },
  "models.idle_unload_minutes": { label: "Free memory after idle minutes", group: "models" },
  "models.civitai_lookup": { label: "Look up models on Civitai", group: "models" },
  "models.huggingface_token": { label: "Hugging Face token", group: "models" },
  "models.civitai_token": { label: "Civitai API key", group: "models" },

  "engine.backend": {
    label: "Engine build",
    group: "engine",
    help: "Which build of the engine to use: Automatic picks the best for this computer (CUDA, Vulkan, ROCm, Metal or CPU).",
    choices: { auto: "Automatic", cuda: "CUDA", vulkan: "Vulkan", rocm: "ROCm", metal: "Metal", cpu: "CPU" },
  },
  "engine.flash_attention": { label: "Flash attention", group: "engine" },
  "engine.offload_to_cpu": {
    label: "Offload to CPU",
    group: "engine",
    help: "The older setting, kept for existing files: on, with GPU memory use left at Automatic, it means Low.",
  },
  "engine.memory": {
    label: "GPU memory use",
    group: "engine",
    help:
      "Automatic fits the model to the GPU's free memory; Fastest keeps everything on the GPU; Low keeps the weights in RAM; " +
      "Very low streams them a layer at a time (slowest). Out of memory tries once a level lower.",
    choices: { auto: "Automatic", fastest: "Fastest", low: "Low", very_low: "Very low" },
  },
  "engine.leave_free_gb": {
    label: "Leave GPU memory free (GB)",
    group: "engine",
    help: "GB of GPU memory to keep free for other apps with Automatic or Very low (0: the engine's own margin).",
  },
  "engine.device": {
    label: "Device",
    group: "engine",
    help: "The device the engine runs on, as the Engine tab lists it (CUDA0, Vulkan0, CPU, …); Automatic lets the engine choose.",
  },
  "engine.devices": {
    label: "Devices",
    group: "engine",
    help: "Automatic uses every GPU; or choose some. Each chosen GPU runs its own engine, so several pictures are made at once.",
  },
  "engine.speed": {
    label: "Speed",
    group: "image",
    help:
      "The default Speed of a picture: Balanced and Fast let the engine reuse steps that change little " +
      "(up to about 2× faster, slightly different pictures).",
    choices: { quality: "Quality", balanced: "Balanced", fast: "Fast" },
  },
  "engine.vae_tiling": { label: "VAE tiling", group: "engine" },
  "engine.vae_tile_size": { label: "VAE tile size", group: "engine" },

  "server.allow_lan": { label: "Allow other devices on this network", group: "devices", inCard: true },
  "server.port": {
    label: "Port",
    group: "devices",
    help: "The port in the address (http://this-computer:port); the next free one is used if it is taken. Applies after a restart.",
  },
  "models.guest_downloads": {
    label: "Other devices may download models",
    group: "devices",
    help: "A device with the access token may start model downloads: from Hugging Face, Civitai and the starter models only.",
  },

  "ui.theme": { label: "Theme", group: "appearance" },
  "ui.font_size": { label: "Text size", group: "appearance" },
  "ui.newest_first": { label: "Newest results first", group: "appearance" },
  "ui.notify_when_done": { label: "Notify when done", group: "appearance" },
  "ui.sound_when_done": { label: "Sound when done", group: "appearance" },
  "ui.open_window": { label: "Open the app window at start", group: "appearance" },

  "server.host": {
    label: "Listen address",
    group: "advanced",
    help: "The network address the app listens on; keep 127.0.0.1 (the switch under Other devices opens it to the network). Applies after a restart.",
  },
  "server.allowed_hosts": { label: "Extra host names", group: "advanced" },
  "server.cors_origins": { label: "Web pages allowed to call the API", group: "advanced" },
  "engine.threads": { label: "CPU threads", group: "advanced" },
  "engine.mmap": { label: "Memory-map model files", group: "advanced" },
  "engine.release_repo": { label: "Engine download repository", group: "advanced" },
  "engine.release_tag": { label: "Engine release", group: "advanced" },
  "engine.api_base": { label: "GitHub API address", group: "advanced" },
  "models.huggingface_base": { label: "Hugging Face address", group: "advanced" },
  "models.civitai_base": { label: "Civitai address", group: "advanced" },
  "log.level": { label: "Log detail", group: "advanced" },
};
