/**
 * Keeps the theme pass done: no component file in ui/src may hard-code a
 * colour (hex, rgb()/hsl()…, or a named colour in a colour property) or a
 * font size in px, so every colour follows the theme and all text follows
 * the UI font size. theme.css is the one place colours live; the light and
 * system-light palettes there must stay identical; every --ed-* property a
 * component reads must be defined there (a typo would silently fall back).
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const UI = join(import.meta.dir, "../../ui/src");
const THEME = "theme.css";

/** Colours that are data, not theme (with why); matched as file → exact line fragments. */
const ALLOWED: Record<string, { fragment: string; why: string }[]> = {
  "apps/image/mask-ops.ts": [
    { fragment: 'ctx.fillStyle = "#000"', why: "mask pixels: black = keep, as the engine reads the mask" },
    { fragment: 'ctx.fillStyle = "#fff"', why: "mask pixels: white = repaint, as the engine reads the mask" },
    { fragment: 'op.mode === "paint" ? "#fff" : "#000"', why: "mask pixels painted by the brush" },
  ],
  "apps/settings/ed-lan-card.ts": [{ fragment: "background: #fff", why: "a QR code needs a white quiet zone to scan, in any theme" }],
  "apps/settings/qr-picture.ts": [{ fragment: 'g.fillStyle = "#fff"', why: "pixels: a QR picture's transparent background read as white, never shown" }],
};

/** What to write instead, for the colours the UI used before the theme pass (shown in a failure). */
const INSTEAD: Record<string, string> = {
  "#202124": "var(--ed-body)", "#151515": "var(--ed-strip)", "#1b1b1b": "var(--ed-tab)", "#7c5cff": "var(--ed-accent)",
  "#e8e8e8": "var(--ed-text)", "#eee": "var(--ed-text)", "#ddd": "var(--ed-text)", "#e6e6e6": "var(--ed-text)", "#ccc": "var(--ed-text)", "#cfcfcf": "var(--ed-text)",
  "#9a9a9a": "var(--ed-muted)", "#999": "var(--ed-muted)", "#aaa": "var(--ed-muted)", "#888": "var(--ed-muted)", "#bbb": "var(--ed-muted)",
  "#3a3b3e": "var(--ed-border)", "#3a3b40": "var(--ed-border)", "#333": "var(--ed-border)", "#2e2f33": "var(--ed-divider)", "#333439": "var(--ed-divider)",
  "#17181a": "var(--ed-field)", "#17181b": "var(--ed-field)", "#1b1c1f": "var(--ed-field)", "#111": "var(--ed-field)",
  "#2a2b2e": "var(--ed-menu)", "#2b2c30": "var(--ed-menu)", "#26272b": "var(--ed-surface)", "#35363b": "var(--ed-button-hover)",
  "#3d5a99": "var(--ed-primary), text var(--ed-on-accent)", "#4a69ad": "var(--ed-primary-hover)", "#5a7cc4": "var(--ed-primary-edge)", "#232a38": "var(--ed-primary-soft)", "#8fa8d8": "var(--ed-link)",
  "#3fb950": "var(--ed-green)", "#e3a008": "var(--ed-amber)", "#f85149": "var(--ed-red)", "#3a2f1a": "var(--ed-amber-soft)", "#f0d9a8": "var(--ed-amber-text)", "#ffaba5": "var(--ed-red-text)",
  "#fff": "var(--ed-on-accent)", "rgb(0 0 0": "var(--ed-shadow)", "rgba(0, 0, 0": "var(--ed-shadow) or var(--ed-backdrop)", "rgba(255, 255, 255": "var(--ed-hover)",
};

function insteadOf(line: string): string {
  const hex = HEX.exec(line)?.[0]?.toLowerCase();
  if (/font/.test(line) && PX_FONT.test(line)) return " → rem: 12px is calc(12rem / 14)";
  const hit = (hex && INSTEAD[hex]) ?? Object.entries(INSTEAD).find(([k]) => k.startsWith("rgb") && line.includes(k))?.[1];
  return ` → ${hit ?? "a --ed-* property from ui/src/theme.css"}`;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return /\.(ts|css)$/.test(e.name) ? [p] : [];
  });
}

/** Strips what looks like a colour but is code: private members (`#add(`, `this.#x`, `#x = …`). */
function codeless(line: string): string {
  return line
    .replace(/\.#[\w$]+/g, ".")
    .replace(/#[\w$]+\s*(?=[(<])/g, "")
    .replace(/^\s*(static\s+|readonly\s+|override\s+)*#[\w$]+\s*[=:;!?]/, "");
}

const HEX = /(?<![\w&])#(?:[0-9a-f]{8}|[0-9a-f]{6}|[0-9a-f]{3,4})\b/i;
const FUNC = /\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/i;
const NAMED = /(?:color|background|border|outline|fill|stroke|shadow)[\w-]*\s*:[^;`]*(?<![\w-])(?:white|black|red|green|blue|gray|grey|yellow|orange|purple|pink|silver)(?![\w-])/i;
const PX_FONT = /font(?:-size)?\s*:\s*[^;]*?\d+(?:\.\d+)?px/i;

export function hardCoded(rel: string, text: string): string[] {
  const allowed = ALLOWED[rel] ?? [];
  const found: string[] = [];
  text.split("\n").forEach((raw, i) => {
    if (/^\s*(\*|\/\/|\/\*)/.test(raw)) return; // comments (JSDoc headers describe colours in words)
    const line = codeless(raw);
    const what = HEX.test(line) || FUNC.test(line) || NAMED.test(line) ? "colour" : PX_FONT.test(line) ? "px font size" : "";
    if (what && !allowed.some((a) => raw.includes(a.fragment))) found.push(`${rel}:${i + 1}: ${what}: ${raw.trim()}${insteadOf(line)}`);
  });
  return found;
}

describe("theme pass", () => {
  test("no component hard-codes a colour or a px font size (allow-list: data colours, with reasons)", () => {
    const problems = files(UI)
      .filter((f) => !f.endsWith(THEME))
      .flatMap((f) => hardCoded(relative(UI, f).replaceAll("\\", "/"), readFileSync(f, "utf8")));
    expect(problems).toEqual([]);
  });

  test("the checker itself catches each kind, and lets private members and allowed data through", () => {
    expect(hardCoded("x.ts", "  color: #ddd;")).toEqual(["x.ts:1: colour: color: #ddd; → var(--ed-text)"]);
    expect(hardCoded("x.ts", "  background: #3d5a99;")[0]).toEndWith("→ var(--ed-primary), text var(--ed-on-accent)");
    expect(hardCoded("x.ts", "  font-size: 13px;")[0]).toEndWith("→ rem: 12px is calc(12rem / 14)");
    expect(hardCoded("x.ts", "  border: 1px solid var(--ed-border, #333);")).toHaveLength(1);
    expect(hardCoded("x.ts", "  box-shadow: 0 2px 4px rgba(0, 0, 0, 0.4);")).toHaveLength(1);
    expect(hardCoded("x.ts", "  background: white;")).toHaveLength(1);
    expect(hardCoded("x.ts", "  font-size: 12px;")).toHaveLength(1);
    expect(hardCoded("x.ts", "  font: 12px/1.4 monospace;")).toHaveLength(1);
    expect(hardCoded("x.ts", "  this.#add(x); #fed<T>(a: T) {}")).toEqual([]);
    expect(hardCoded("x.ts", "  #dec = 0;\n  #bad?: string;")).toEqual([]);
    expect(hardCoded("x.ts", "  color: var(--ed-red); border: 1px solid var(--ed-green-soft);")).toEqual([]);
    expect(hardCoded("x.ts", "  font-size: calc(12rem / 14); color: var(--ed-text);")).toEqual([]);
    expect(hardCoded("apps/image/mask-ops.ts", '  ctx.fillStyle = "#000";')).toEqual([]);
    expect(hardCoded("apps/image/ed-mask-editor.ts", '  ctx.fillStyle = "#000";')).toHaveLength(1);
  });

  const css = readFileSync(join(UI, THEME), "utf8");
  const block = (selector: string) => {
    const at = css.indexOf(`${selector} {`);
    expect(at).toBeGreaterThan(-1);
    return css.slice(at, css.indexOf("}", at)).split("\n").slice(1).map((l) => l.trim()).filter(Boolean);
  };

  test("the system theme's light palette is the light theme's, declaration for declaration", () => {
    const light = block(':root[data-theme="light"]');
    expect(light.length).toBeGreaterThan(20);
    expect(block('  :root[data-theme="system"]')).toEqual(light);
  });

  test("every --ed-* property a component reads is defined in theme.css, and the light theme sets every dark colour", () => {
    const defined = new Set([...css.matchAll(/^\s*(--ed-[\w-]+)\s*:/gm)].map((m) => m[1]));
    const used = new Set(files(UI).flatMap((f) => [...readFileSync(f, "utf8").matchAll(/var\((--ed-[\w-]+)/g)].map((m) => m[1]!)));
    expect([...used].filter((p) => !defined.has(p!))).toEqual([]);
    const dark = block(":root")
      .map((l) => /^(--ed-[\w-]+):\s*(#|rgba)/.exec(l)?.[1])
      .filter(Boolean);
    const light = new Set(block(':root[data-theme="light"]').map((l) => l.split(":")[0]));
    expect(dark.filter((p) => !light.has(p!))).toEqual([]);
  });
});
