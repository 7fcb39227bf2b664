/**
 * The page's appearance: theme (dark, light, system) and UI font size, as
 * <html data-theme> and the --ed-font-size custom property that theme.css
 * reads. The server writes both into index.html so the first paint is right;
 * this module keeps them in step afterwards: on every `config.changed` event
 * for ui.theme / ui.font_size (from Settings, the main menu's theme entry, or
 * another window) it applies the saved values at once, without a reload.
 * "system" needs no script: theme.css follows prefers-color-scheme live.
 */
import { configApi } from "../api/config";
import { events } from "../api/event-stream";

export type ThemeName = "dark" | "light" | "system";
export const THEMES: readonly ThemeName[] = ["dark", "light", "system"];
export const THEME_LABELS: Record<ThemeName, string> = { dark: "Dark", light: "Light", system: "System" };

export interface Appearance {
  theme: ThemeName;
  font_size: number;
}

/** The theme after `theme` in the main menu's cycle: dark → light → system → dark. */
export function nextTheme(theme: ThemeName): ThemeName {
  return THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length]!;
}

/** Whether a `config.changed` event's keys touch the appearance. */
export function touchesAppearance(keys: unknown): boolean {
  return Array.isArray(keys) && keys.some((k) => k === "ui.theme" || k === "ui.font_size");
}

/** The theme now shown (as the server or the last change set it). */
export function currentTheme(root: HTMLElement = document.documentElement): ThemeName {
  const t = root.dataset.theme as ThemeName | undefined;
  return t && THEMES.includes(t) ? t : "dark";
}

/** Puts the appearance on the page: theme attribute, font size, and the color-scheme meta (form controls, scrollbars). */
export function applyAppearance(a: Partial<Appearance>, root: HTMLElement = document.documentElement) {
  if (a.theme && THEMES.includes(a.theme)) {
    root.dataset.theme = a.theme;
    root.ownerDocument.querySelector('meta[name="color-scheme"]')?.setAttribute("content", a.theme === "system" ? "dark light" : a.theme);
  }
  if (typeof a.font_size === "number" && Number.isFinite(a.font_size)) root.style.setProperty("--ed-font-size", `${a.font_size}px`);
}

async function loadAppearance() {
  const { config } = await configApi.get();
  applyAppearance(config.ui);
}

let watching = false;

/** Follows appearance changes for the life of the page (the shell calls it once). */
export function watchAppearance() {
  if (watching) return;
  watching = true;
  events.on("config.changed", (d) => {
    if (touchesAppearance((d as { keys?: unknown }).keys)) void loadAppearance().catch(() => {});
  });
}

/** Shows `theme` at once and saves it (the saved value comes back through `config.changed`). */
export async function chooseTheme(theme: ThemeName): Promise<void> {
  applyAppearance({ theme });
  await configApi.patch({ ui: { theme } });
}
