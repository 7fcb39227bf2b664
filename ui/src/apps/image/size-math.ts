/**
 * Size arithmetic for the size field: "enlarge" by a factor and the
 * aspect-ratio lock, both rounded to the engine's multiple of 64 px and kept
 * within 64…4096. Pure.
 */
const STEP = 64;
const MIN = 64;
const MAX = 4096;

export function roundSize(px: number): number {
  return Math.min(MAX, Math.max(MIN, Math.round(px / STEP) * STEP));
}

/** Both sides × factor (rounded), e.g. 512×768 × 1.5 → 768×1152. */
export function enlarge(width: number, height: number, factor: number): { width: number; height: number } {
  return { width: roundSize(width * factor), height: roundSize(height * factor) };
}

/** With the ratio locked, the other side follows the one being edited. */
export function followRatio(changed: "width" | "height", value: number, ratio: number): { width: number; height: number } {
  return changed === "width" ? { width: value, height: roundSize(value / ratio) } : { width: roundSize(value * ratio), height: value };
}
