/**
 * Step caching as sd-server does it for the stand-in's model (it says
 * "Version: SD 1.x": a UNet). Sources, upstream at 97d2990:
 * - options: examples/common/common.cpp SDGenerationParams::initialize_cache_params (parse, messages) and
 *   validate (start/end check); defaults: src/stable-diffusion.cpp sd_cache_params_init;
 * - which mode runs on a UNet, the "enabled" and "not supported" lines: src/runtime/sample-cache.cpp init_*_runtime;
 * - the summary line: sample-cache.cpp (after sampling, "… skipped k/N steps (x.xxx estimated speedup)");
 * - spectrum's schedule exactly (it does not depend on the tensors): src/runtime/spectrum.hpp should_predict/update.
 * UCache decides by measured output change (src/runtime/ucache.hpp); the stand-in has no tensors, so it skips
 * by a fixed change per step (0.6 of the threshold's unit at 20 steps, more with fewer steps): guessed, not upstream's numbers.
 */

export const CACHE_MODES = ["disabled", "easycache", "ucache", "dbcache", "taylorseer", "cache-dit", "spectrum"];

export interface CacheParams {
  mode: string;
  threshold: number;
  start: number;
  end: number;
  decay: number;
  relative: boolean;
  reset: boolean;
  Fn: number;
  Bn: number;
  residual: number;
  warmup: number;
  spectrum: { w: number; m: number; lam: number; window: number; flex: number; warmup: number; stop: number };
}

function defaults(mode: string): CacheParams {
  return {
    mode,
    threshold: Infinity,
    start: 0.15,
    end: 0.95,
    decay: 1,
    relative: true,
    reset: true,
    Fn: 8,
    Bn: 0,
    residual: 0.08,
    warmup: 8,
    spectrum: { w: 0.4, m: 3, lam: 1, window: 2, flex: 0.5, warmup: 4, stop: 0.9 },
  };
}

/** The cache settings of a request, or the [ERROR] line sd-server logs before answering 400 "invalid generation parameters". */
export function parseCache(modeField: unknown, optionField: unknown): { ok: true; params: CacheParams } | { ok: false; log: string; at: string } {
  const mode = typeof modeField === "string" && modeField ? modeField : "disabled";
  const option = typeof optionField === "string" ? optionField : "";
  const p = defaults(mode);
  if (!CACHE_MODES.includes(mode)) return { ok: false, log: `error: invalid cache mode '${mode}'`, at: "common.cpp:2300" };
  if (option) {
    for (const token of option.split(",")) {
      const eq = token.indexOf("=");
      if (eq < 0) return { ok: false, log: `error: cache option '${token}' missing '=' separator`, at: "common.cpp:2228" };
      const key = token.slice(0, eq);
      const raw = token.slice(eq + 1);
      const value = Number.parseFloat(raw);
      if (!Number.isFinite(value)) return { ok: false, log: `error: invalid value '${raw}' for parameter '${key}'`, at: "common.cpp:2277" };
      const int = Math.trunc(value);
      if (key === "threshold") mode === "easycache" || mode === "ucache" ? (p.threshold = value) : (p.residual = value);
      else if (key === "start") p.start = value;
      else if (key === "end") p.end = value;
      else if (key === "decay") p.decay = value;
      else if (key === "relative") p.relative = value !== 0;
      else if (key === "reset") p.reset = value !== 0;
      else if (key === "Fn" || key === "fn") p.Fn = int;
      else if (key === "Bn" || key === "bn") p.Bn = int;
      else if (key === "warmup") mode === "spectrum" ? (p.spectrum.warmup = int) : (p.warmup = int);
      else if (key === "w") p.spectrum.w = value;
      else if (key === "m") p.spectrum.m = int;
      else if (key === "lam") p.spectrum.lam = value;
      else if (key === "window") p.spectrum.window = int;
      else if (key === "flex") p.spectrum.flex = value;
      else if (key === "stop") p.spectrum.stop = value;
      else return { ok: false, log: `error: unknown cache parameter '${key}'`, at: "common.cpp:2273" };
    }
  }
  if (mode === "easycache" || mode === "ucache") {
    if (p.threshold < 0) return { ok: false, log: "error: cache threshold must be non-negative", at: "common.cpp:2396" };
    if (p.start < 0 || p.start >= 1 || p.end <= 0 || p.end > 1 || p.start >= p.end) return { ok: false, log: "error: cache start/end percents must satisfy 0.0 <= start < end <= 1.0", at: "common.cpp:2402" };
  }
  return { ok: true, params: p };
}

type Log = (level: "INFO" | "WARN", where: string, msg: string) => void;

/** One sampling pass's cache: which steps are skipped, and the lines before and after. Null when caching is off. */
export interface CacheRun {
  skip(step: number): boolean;
  summary(): void;
}

/** sample-cache.cpp init_sample_cache_runtime for a UNet model (SD 1.x) and `total` steps. */
export function startCache(p: CacheParams, total: number, log: Log): CacheRun | null {
  const f2 = (n: number) => n.toFixed(2);
  if (p.mode === "disabled") return null;
  if (p.mode === "easycache") {
    log("WARN", "sample-cache.cpp:46", "EasyCache requested but not supported for this model type");
    return null;
  }
  if (p.mode === "dbcache" || p.mode === "taylorseer" || p.mode === "cache-dit") {
    log("WARN", "sample-cache.cpp:110", "CacheDIT requested but not supported for this model type (only DiT models)");
    return null;
  }
  let skipped = 0;
  if (p.mode === "ucache") {
    const threshold = p.threshold === Infinity ? 1 : p.threshold;
    log("INFO", "sample-cache.cpp:96", `UCache enabled - threshold: ${threshold.toFixed(3)}, start: ${f2(p.start)}, end: ${f2(p.end)}, decay: ${f2(p.decay)}, relative: ${p.relative}, reset: ${p.reset}`);
    // The output changes more per step the fewer the steps: at 20 steps 0.6 per step, at 4 steps 3.0 (nothing reused, as recorded).
    const change = 0.6 * (20 / Math.max(1, total));
    let error = 0;
    const first = Math.ceil(p.start * total);
    const last = Math.floor(p.end * total);
    return {
      skip(step) {
        const i = step - 1;
        if (i < first || i >= last || error + change > threshold) {
          if (p.reset) error = 0;
          return false;
        }
        error += change;
        skipped++;
        return true;
      },
      summary() {
        if (!skipped) log("INFO", "sample-cache.cpp:328", "UCache completed without skipping steps");
        else if (skipped >= total) log("INFO", "sample-cache.cpp:323", `UCache skipped ${skipped}/${total} steps`);
        else log("INFO", "sample-cache.cpp:318", `UCache skipped ${skipped}/${total} steps (${(total / (total - skipped)).toFixed(2)}x estimated speedup)`);
      },
    };
  }
  // spectrum
  const s = p.spectrum;
  log("INFO", "sample-cache.cpp:170", `Spectrum enabled - w: ${f2(s.w)}, m: ${s.m}, lam: ${f2(s.lam)}, window: ${s.window}, flex: ${f2(s.flex)}, warmup: ${s.warmup}, stop: ${(s.stop * 100).toFixed(0)}%`);
  const stopStep = Math.trunc(s.stop * total);
  let cnt = 0;
  let cached = 0;
  let window = s.window;
  let history = 0;
  return {
    skip() {
      const predict = cnt >= s.warmup && !(stopStep > 0 && cnt >= stopStep) && history >= 2 && (cached + 1) % Math.max(1, Math.floor(window)) !== 0;
      if (predict) {
        cached++;
        skipped++;
      } else {
        history++;
        if (cnt >= s.warmup) window += s.flex;
        cached = 0;
      }
      cnt++;
      return predict;
    },
    summary() {
      if (skipped) log("INFO", "sample-cache.cpp:354", `Spectrum skipped ${skipped}/${total} steps (${(total / (total - skipped)).toFixed(2)}x estimated speedup)`);
    },
  };
}
