/**
 * The disk layout, known in this one module. Linux follows XDG, macOS uses
 * Application Support, Windows %APPDATA% (config) and %LOCALAPPDATA% (data).
 * `--data-dir` or ED_HOME put everything under one folder instead.
 */
import { join } from "node:path";
import type { Env } from "./env";

export interface Paths {
  /** Root of the user's data: models, outputs, engines, database. */
  data: string;
  /** Folder of config.yaml. */
  configDir: string;
  config: string;
  logs: string;
  log: string;
  /** sd-server's stdout/stderr, as the engine printed it. */
  engineLog: string;
  /** Single-instance lock. */
  lock: string;
  engines: string;
  /** The last source build that failed (step, message, log lines), so a start does not repeat it by itself. */
  engineBuildFailure: string;
  downloads: string;
  models: string;
  outputs: string;
  database: string;
  /** UI state such as the open tabs (kept server-side so the webview and browsers share it). */
  uiState: string;
  /** The open tabs of other devices (guests), kept apart so they never replace this computer's. */
  uiStateGuests: string;
  /** Libraries the executable carries compressed, unpacked once (the window's webview binding). */
  cache: string;
  /** What each model file's header said, keyed by path + size + mtime (models/header-cache.ts). */
  modelHeaderCache: string;
  /** Links to every embedding of every model root, the folder sd-server gets when they are not all in the app's (models/embedding-view.ts). */
  engineEmbeddings: string;
  /** Civitai preview images of installed models, by sha256 (served by GET /api/models/preview/:sha256). */
  modelPreviews: string;
  /** The token other devices on the network log in with (owner-only file). */
  lanToken: string;
  /** UI plugins: `*.plugin.js` ES modules the user installed. */
  plugins: string;
  /** Which plugins are disabled and why (the last error each reported). */
  pluginState: string;
  /** The Gallery's index of every picture (derived from the files; rebuilt by a rescan if lost). */
  galleryIndex: string;
  /** The Gallery's thumbnails, one WebP per picture. */
  thumbnails: string;
  /** Where deleted pictures go where the system has no trash folder (Windows), until undone or cleared. */
  galleryTrash: string;
  /** Wildcard lists for prompts: `wildcards/<name>.txt`, one choice a line, used as `__name__`. */
  wildcards: string;
  /** The user's own style modifiers (`[Category]` then one a line), shown before the shipped ones. */
  customModifiers: string;
}

const APP = "easy-diffusion";
const APP_TITLE = "Easy Diffusion";

/** Where the data and config live when nothing is overridden. */
export function defaultDirs(env: Env): { data: string; config: string } {
  switch (env.platform) {
    case "darwin": {
      const dir = join(env.home, "Library", "Application Support", APP_TITLE);
      return { data: dir, config: dir };
    }
    case "win32": {
      const roaming = env.appData ?? join(env.home, "AppData", "Roaming");
      const local = env.localAppData ?? join(env.home, "AppData", "Local");
      return { data: join(local, APP_TITLE), config: join(roaming, APP_TITLE) };
    }
    default:
      return {
        data: join(env.xdgDataHome ?? join(env.home, ".local", "share"), APP),
        config: join(env.xdgConfigHome ?? join(env.home, ".config"), APP),
      };
  }
}

export function resolvePaths(env: Env, overrides: { dataDir?: string; config?: string } = {}): Paths {
  const root = overrides.dataDir ?? env.edHome;
  const dirs = root ? { data: root, config: root } : defaultDirs(env);
  const config = overrides.config ?? join(dirs.config, "config.yaml");
  const logs = join(dirs.data, "logs");
  return {
    data: dirs.data,
    configDir: dirs.config,
    config,
    logs,
    log: join(logs, "easy-diffusion.log"),
    engineLog: join(logs, "engine.log"),
    lock: join(dirs.data, "instance.lock"),
    engines: join(dirs.data, "engines"),
    engineBuildFailure: join(dirs.data, "engines", ".last-build-failure.json"),
    downloads: join(dirs.data, "downloads"),
    models: join(dirs.data, "models"),
    outputs: join(dirs.data, "outputs"),
    database: join(dirs.data, "easy-diffusion.db"),
    uiState: join(dirs.data, "ui-state.json"),
    uiStateGuests: join(dirs.data, "ui-state.guests.json"),
    cache: join(dirs.data, "cache"),
    modelHeaderCache: join(dirs.data, "cache", "model-headers.json"),
    modelPreviews: join(dirs.data, "cache", "model-previews"),
    engineEmbeddings: join(dirs.data, "cache", "engine-embeddings"),
    lanToken: join(dirs.data, "lan-token"),
    plugins: join(dirs.data, "plugins"),
    pluginState: join(dirs.data, "plugins", "plugins.json"),
    galleryIndex: join(dirs.data, "cache", "gallery", "index.db"),
    thumbnails: join(dirs.data, "cache", "gallery", "thumbnails"),
    galleryTrash: join(dirs.data, "cache", "gallery", "trash"),
    wildcards: join(dirs.data, "wildcards"),
    customModifiers: join(dirs.data, "modifiers.txt"),
  };
}

/** Easy Diffusion's model folder names, by kind. */
export const MODEL_KINDS = [
  "stable-diffusion",
  "diffusion_models",
  "text_encoders",
  "vae",
  "lora",
  "embeddings",
  "controlnet",
  "realesrgan",
  "taesd",
  // Video (issue 22): Wan 2.1 I2V/FLF2V's image encoder (--clip_vision), AnimateDiff's motion modules (--motion-module).
  "clip_vision",
  "animatediff",
] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export function modelDir(paths: Paths, kind: ModelKind): string {
  return join(paths.models, kind);
}
