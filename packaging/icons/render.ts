/**
 * Renders the SVG master icon to the PNG sizes desktops want, plus the
 * Windows .ico and macOS .icns containers. resvg (WebAssembly, from npm)
 * does the rasterising so packaging needs no ImageMagick or Inkscape.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { initWasm, Resvg } from "@resvg/resvg-wasm";

export const ICON_SVG = join(import.meta.dir, "easy-diffusion.svg");
/** hicolor sizes installed on Linux (and the sizes the .ico and .icns are built from). */
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;

let ready: Promise<void> | undefined;
function init(): Promise<void> {
  ready ??= initWasm(readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
  return ready;
}

/** PNG bytes of the master icon at size x size pixels. */
export async function renderPng(size: number, svg: string = readFileSync(ICON_SVG, "utf8")): Promise<Uint8Array> {
  await init();
  const resvg = new Resvg(svg, { fitTo: { mode: "width", value: size } });
  const image = resvg.render();
  try {
    return image.asPng();
  } finally {
    image.free();
    resvg.free();
  }
}

export async function renderPngs(sizes: readonly number[] = PNG_SIZES): Promise<Map<number, Uint8Array>> {
  const svg = readFileSync(ICON_SVG, "utf8");
  const out = new Map<number, Uint8Array>();
  for (const size of sizes) out.set(size, await renderPng(size, svg));
  return out;
}

/** A .ico holding PNG images (Windows Vista and later read PNG entries). */
export function icoFromPngs(pngs: Map<number, Uint8Array>): Uint8Array {
  const entries = [...pngs].filter(([size]) => size <= 256).sort(([a], [b]) => a - b);
  const header = 6 + 16 * entries.length;
  const total = header + entries.reduce((n, [, png]) => n + png.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint16(2, 1, true); // type: icon
  view.setUint16(4, entries.length, true);
  let offset = header;
  entries.forEach(([size, png], i) => {
    const at = 6 + 16 * i;
    out[at] = size >= 256 ? 0 : size; // 0 means 256
    out[at + 1] = size >= 256 ? 0 : size;
    view.setUint16(at + 4, 1, true); // colour planes
    view.setUint16(at + 6, 32, true); // bits per pixel
    view.setUint32(at + 8, png.length, true);
    view.setUint32(at + 12, offset, true);
    out.set(png, offset);
    offset += png.length;
  });
  return out;
}

/** icns element types that hold PNG data, by pixel size. */
const ICNS_TYPES: Record<number, string> = { 16: "icp4", 32: "icp5", 64: "icp6", 128: "ic07", 256: "ic08", 512: "ic09" };

/** A macOS .icns built from PNG entries. */
export function icnsFromPngs(pngs: Map<number, Uint8Array>): Uint8Array {
  const entries = [...pngs].filter(([size]) => ICNS_TYPES[size]).sort(([a], [b]) => a - b);
  const total = 8 + entries.reduce((n, [, png]) => n + 8 + png.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const tag = (at: number, s: string) => out.set(new TextEncoder().encode(s), at);
  tag(0, "icns");
  view.setUint32(4, total);
  let offset = 8;
  for (const [size, png] of entries) {
    tag(offset, ICNS_TYPES[size]!);
    view.setUint32(offset + 4, 8 + png.length);
    out.set(png, offset + 8);
    offset += 8 + png.length;
  }
  return out;
}

/** Writes <dir>/<name>.svg, <name>-<size>.png for each size, and <name>.ico / .icns when asked. */
export function writeIconSet(
  dir: string,
  name: string,
  pngs: Map<number, Uint8Array>,
  extra: { ico?: boolean; icns?: boolean } = {},
): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.svg`), readFileSync(ICON_SVG));
  for (const [size, png] of pngs) writeFileSync(join(dir, `${name}-${size}.png`), png);
  if (extra.ico) writeFileSync(join(dir, `${name}.ico`), icoFromPngs(pngs));
  if (extra.icns) writeFileSync(join(dir, `${name}.icns`), icnsFromPngs(pngs));
  return dir;
}
