/**
 * A rough GPU memory estimate for one picture: the model's weights (its file
 * size, plus text encoders and VAE), plus working memory that grows with the
 * picture's area — sampling (attention, with flash attention about linear in
 * pixels) and the VAE decode (the usual peak; VAE tiling caps it). Figures
 * per megapixel are conservative round numbers for stable-diffusion.cpp
 * with flash attention; the point is a warning before a size that is likely
 * to run out of VRAM, not an exact figure. Pure: tests give all inputs.
 */

const GB = 1024 ** 3;

/** Sampling working memory per megapixel, by model family (GB). */
const SAMPLING_GB_PER_MP: Record<string, number> = { sd1: 0.9, sd2: 1.0, sdxl: 1.4, sd3: 1.8, flux: 2.4, chroma: 2.4 };
const DEFAULT_SAMPLING_GB_PER_MP = 2.0;
/** The VAE decode's peak per megapixel without tiling (GB), and with tiling (a fixed tile's worth). */
const VAE_GB_PER_MP = 2.6;
const VAE_TILED_GB = 0.6;
/** The engine's own buffers and the driver's reserve (GB). */
const OVERHEAD_GB = 0.5;

export interface MemoryInputs {
  width: number;
  height: number;
  /** Bytes of the model file plus the text encoders and VAE it loads. */
  weightBytes: number;
  /** "sd1", "sdxl", "flux"…; null when unknown. */
  family: string | null;
  vaeTiling: boolean;
  /** Hires fix scale (the second pass works at the larger size). */
  hiresScale?: number;
  /** The GPU memory use in effect (engine.memory, or the level remembered for the model); default fastest. */
  memory?: "fastest" | "auto" | "low" | "very_low";
}

/**
 * The part of the weights on the GPU at once, per GPU memory use level: all (Fastest); auto-fit may move
 * components off the GPU when they do not fit, count half; offloaded weights pass through a part at a time
 * (Low: a quarter); streamed layers (Very low): a tenth. Rough, like the rest.
 */
const RESIDENT_WEIGHTS = { fastest: 1, auto: 0.5, low: 0.25, very_low: 0.1 } as const;

/** Estimated peak GPU memory in bytes. */
export function estimateVram(i: MemoryInputs): number {
  const scale = i.hiresScale && i.hiresScale > 1 ? i.hiresScale : 1;
  const mp = (i.width * scale * (i.height * scale)) / 1_000_000;
  const sampling = (SAMPLING_GB_PER_MP[i.family ?? ""] ?? DEFAULT_SAMPLING_GB_PER_MP) * mp;
  const vae = i.vaeTiling ? VAE_TILED_GB : VAE_GB_PER_MP * mp;
  const weights = i.weightBytes * RESIDENT_WEIGHTS[i.memory ?? "fastest"];
  return weights + (OVERHEAD_GB + Math.max(sampling, vae)) * GB;
}

export type MemoryVerdict = { level: "ok" | "tight" | "over"; estimate: number; vram: number };

/** Compares the estimate with the GPU's memory: "over" above it, "tight" above 85 %. */
export function memoryVerdict(estimate: number, vramBytes: number): MemoryVerdict {
  const level = estimate > vramBytes ? "over" : estimate > vramBytes * 0.85 ? "tight" : "ok";
  return { level, estimate, vram: vramBytes };
}

export function formatGb(bytes: number): string {
  return `${(bytes / GB).toFixed(1)} GB`;
}
