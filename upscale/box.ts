/**
 * Halving a picture with a box (area-average) filter: each output pixel is
 * the mean of its 2×2 source block, the right filter for an exact ½ (no
 * ringing, no aliasing). Used for ×2 with an ×4 model. Odd edges repeat the
 * last row/column. Pure, any channel count.
 */
export function halveBox(
  data: Uint8Array | Uint8ClampedArray | Uint16Array,
  width: number,
  height: number,
  channels: number,
): { data: Uint8Array; width: number; height: number } {
  const w = Math.max(1, Math.floor(width / 2));
  const h = Math.max(1, Math.floor(height / 2));
  const out = new Uint8Array(w * h * channels);
  for (let y = 0; y < h; y++) {
    const y0 = Math.min(height - 1, 2 * y);
    const y1 = Math.min(height - 1, 2 * y + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.min(width - 1, 2 * x);
      const x1 = Math.min(width - 1, 2 * x + 1);
      for (let c = 0; c < channels; c++) {
        const s =
          data[(y0 * width + x0) * channels + c]! +
          data[(y0 * width + x1) * channels + c]! +
          data[(y1 * width + x0) * channels + c]! +
          data[(y1 * width + x1) * channels + c]!;
        out[(y * w + x) * channels + c] = (s + 2) >> 2;
      }
    }
  }
  return { data: out, width: w, height: h };
}
