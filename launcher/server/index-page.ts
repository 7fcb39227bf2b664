/**
 * index.html as served: the page's appearance settings (ui.theme, ui.font_size)
 * written onto <html> before the browser sees it, so the first paint already
 * has the right colours and text size (no dark flash for a light-theme user,
 * no extra round trip before the shell renders). The UI updates the same
 * attributes live when the settings change (ui/src/shell/appearance.ts).
 */

export interface Appearance {
  theme: "dark" | "light" | "system";
  font_size: number;
}

const THEMES: readonly string[] = ["dark", "light", "system"];

/** The `color-scheme` the browser should use before the stylesheet loads (form controls, scrollbars). */
export function colorSchemeOf(theme: Appearance["theme"]): string {
  return theme === "system" ? "dark light" : theme;
}

/** `html` with `data-theme` and `--ed-font-size` on its <html> element and a matching color-scheme meta. */
export function renderIndex(html: string, a: Appearance): string {
  // The config is validated, but this writes into HTML: only known words and a plain number get through.
  const theme = THEMES.includes(a.theme) ? a.theme : "dark";
  const size = Number.isFinite(a.font_size) ? Math.round(a.font_size) : 14;
  return html
    .replace(/<html\b/, `<html data-theme="${theme}" style="--ed-font-size: ${size}px"`)
    .replace(/(<meta name="color-scheme" content=")[^"]*"/, `$1${colorSchemeOf(theme)}"`);
}

/** An ETag that changes with the appearance, so a revalidated index.html never keeps an old theme. */
export function indexEtag(assetEtag: string, a: Appearance): string {
  return `${assetEtag.replace(/"$/, "")}-${a.theme}-${a.font_size}"`;
}
