/**
 * The one place that reads environment variables. Everything else takes these
 * values as arguments, so tests can inject their own.
 */
export interface Env {
  /** Overrides the data directory (like `--data-dir`). */
  edHome?: string;
  home: string;
  platform: NodeJS.Platform;
  xdgConfigHome?: string;
  xdgDataHome?: string;
  xdgStateHome?: string;
  appData?: string;
  localAppData?: string;
  /** Set by CI and by `--server` launched from a service manager: no colours, no bars. */
  ci: boolean;
  display?: string;
  waylandDisplay?: string;
  /** Overrides the default log level (debug|info|warn|error). */
  logLevel?: string;
  /** WebKitGTK's own switch; the window turns compositing off unless the user set it. */
  webkitDisableCompositing?: string;
  /** Hugging Face mirror (as huggingface_hub reads it): the default of config models.huggingface_base. */
  hfEndpoint?: string;
  /** Hugging Face token (as huggingface_hub reads it): only the maintainer's `bun run catalog:check` uses it. */
  hfToken?: string;
}

export function readEnv(env: Record<string, string | undefined> = process.env): Env {
  return {
    edHome: env.ED_HOME || undefined,
    home: env.HOME || env.USERPROFILE || ".",
    platform: process.platform,
    xdgConfigHome: env.XDG_CONFIG_HOME || undefined,
    xdgDataHome: env.XDG_DATA_HOME || undefined,
    xdgStateHome: env.XDG_STATE_HOME || undefined,
    appData: env.APPDATA || undefined,
    localAppData: env.LOCALAPPDATA || undefined,
    ci: !!env.CI,
    display: env.DISPLAY || undefined,
    waylandDisplay: env.WAYLAND_DISPLAY || undefined,
    logLevel: env.ED_LOG_LEVEL || undefined,
    webkitDisableCompositing: env.WEBKIT_DISABLE_COMPOSITING_MODE || undefined,
    hfEndpoint: env.HF_ENDPOINT || undefined,
    hfToken: env.HF_TOKEN || undefined,
  };
}
