/**
 * The Speed choice (Quality / Balanced / Fast) → upstream's step caching, per
 * model family. Pure and browser-safe. Upstream's modes (docs/caching.md at
 * 97d2990): ucache is for UNet models only, easycache and dbcache/cache-dit
 * for DiT models only, spectrum for both (src/runtime/sample-cache.cpp
 * init_*_runtime warn and run uncached for a family they do not support, so
 * the app must choose per family). Options are upstream's documented
 * defaults; which level gets which mode is from measurements on the pinned
 * CPU build (README "Speed").
 */

export const SPEEDS = ["quality", "balanced", "fast"] as const;
export type Speed = (typeof SPEEDS)[number];

/** Upstream's cache modes (examples/common/common.cpp on_cache_mode_arg); "disabled" is the request default. */
export type CacheMode = "disabled" | "ucache" | "easycache" | "dbcache" | "taylorseer" | "cache-dit" | "spectrum";

export interface SpeedPlan {
  /** What was asked. */
  speed: Speed;
  /** What the engine is told (img_gen `cache_mode`). */
  mode: CacheMode;
  /** img_gen `cache_option`: upstream's `key=value,…` list ("" for the mode's defaults). */
  option: string;
  /** Why the plan differs from what was asked (e.g. too few steps). */
  note?: string;
}

/** SD 1.x/2.x/XL are UNets (upstream sd_version_is_unet); these families are DiTs (sd_version_is_dit). */
const UNET_FAMILIES = new Set(["sd1", "sd2", "sdxl"]);
const DIT_FAMILIES = new Set(["flux", "flux2", "chroma", "sd3", "z-image", "qwen-image", "ovis", "wan", "longcat", "anima", "ernie-image", "lumina2"]);

/**
 * Below this many steps nothing is cached: upstream's windows start at 15% of the steps (ucache/easycache `start`)
 * or after 4 warm-up steps (spectrum `warmup`), so a turbo model at 1–4 steps would only pay the bookkeeping.
 */
export const MIN_CACHE_STEPS = 8;

const PLANS: Record<"unet" | "dit", Record<Exclude<Speed, "quality">, { mode: CacheMode; option: string }>> = {
  // spectrum's schedule is fixed (src/runtime/spectrum.hpp should_predict): 9 of 20 steps forecast at its defaults;
  // ucache skips by measured error (src/runtime/ucache.hpp), more at a higher threshold (docs/caching.md example 1.5).
  unet: { balanced: { mode: "spectrum", option: "" }, fast: { mode: "ucache", option: "threshold=1.5" } },
  // easycache at its default threshold 0.2; dbcache+taylorseer (cache-dit) at upstream's documented defaults for Fast.
  dit: { balanced: { mode: "easycache", option: "threshold=0.2" }, fast: { mode: "cache-dit", option: "" } },
};

/** The family's architecture, or null when upstream has no step cache for it (or it is not known). */
export function familyArchitecture(family: string | null | undefined): "unet" | "dit" | null {
  if (!family) return null;
  if (UNET_FAMILIES.has(family)) return "unet";
  if (DIT_FAMILIES.has(family)) return "dit";
  return null;
}

export function speedPlan(speed: Speed, family: string | null | undefined, steps: number): SpeedPlan {
  const off = (note?: string): SpeedPlan => ({ speed, mode: "disabled", option: "", ...(note ? { note } : {}) });
  if (speed === "quality") return off();
  const arch = familyArchitecture(family);
  if (!arch) return off(`${family ? `${family} models have` : "this model has"} no step caching: ran at Quality`);
  if (steps < MIN_CACHE_STEPS) return off(`${steps} steps are too few to reuse any: ran at Quality`);
  return { speed, ...PLANS[arch][speed] };
}

/** The infotext value: `spectrum`, `ucache threshold=1.5`. */
export function cacheText(plan: Pick<SpeedPlan, "mode" | "option">): string {
  return plan.option ? `${plan.mode} ${plan.option}` : plan.mode;
}

/** What upstream printed after sampling (sample-cache.cpp log_summary), summed over a batch. */
export interface CacheReport {
  /** UCache, EasyCache, CacheDIT or Spectrum, as upstream names it. */
  method: string;
  skipped: number;
  total: number;
}

/** "9 of 20 steps reused, ×1.8": upstream's estimate, steps ÷ computed steps. */
export function reuseText(r: CacheReport): string {
  if (!r.skipped) return `no steps reused (${r.method})`;
  const factor = r.total > r.skipped ? `, ×${(r.total / (r.total - r.skipped)).toFixed(1)}` : "";
  return `${r.skipped} of ${r.total} steps reused${factor}`;
}
