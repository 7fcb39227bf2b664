/**
 * Whether the window may start before the app has read its config: it maps
 * in the time the server takes to start, which is most of what a user waits
 * for. A look at config.yaml's two window keys (YAML only, read the way the
 * schema reads them: anything but `false` opens, an unknown theme is dark)
 * and at the lock (a second launch hands over to the running app, so it must
 * not flash a window). The real config decides again once loaded: a window
 * it does not want is closed. Pure apart from the injected reads.
 */
import type { Config } from "../../core/config/schema";

export type EarlyWindow = { open: false } | { open: true; theme: Config["ui"]["theme"] };

const THEMES = new Set(["dark", "light", "system"]);

export function earlyWindow(configYaml: unknown, anotherRunning: boolean): EarlyWindow {
  if (anotherRunning) return { open: false };
  const ui = configYaml && typeof configYaml === "object" ? (configYaml as { ui?: unknown }).ui : undefined;
  const keys = ui && typeof ui === "object" ? (ui as Record<string, unknown>) : {};
  if (keys.open_window === false) return { open: false };
  const theme = typeof keys.theme === "string" && THEMES.has(keys.theme) ? (keys.theme as Config["ui"]["theme"]) : "dark";
  return { open: true, theme };
}

