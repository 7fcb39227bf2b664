/** Speed (Quality/Balanced/Fast) → upstream's step caching per family, in the img_gen body, in the metadata and back. */
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseProgress } from "../../engine/process/progress";
import { resolvePaths } from "../../core/paths";
import { resolveModels } from "../../models/resolve";
import { searchPath } from "../../models/roots";
import { embedMetadata } from "../../queue/outputs";
import { formatInfotext, parseInfotext } from "../../common/infotext";
import { readImageMetadata } from "../../pictures/metadata/read";
import { infotextToSettings } from "../../common/infotext-settings";
import { imageRequestSchema, resolveRequest } from "../../common/image-request";
import { cacheText, MIN_CACHE_STEPS, reuseText, speedPlan } from "../../common/speed";
import { toImgGenBody } from "../../queue/translate";
import { TELLTALES, writeSafetensors } from "../models/fixtures";
import { png } from "./images";

describe("speedPlan (pure)", () => {
  test("Quality never caches, for any family", () => {
    for (const family of ["sd1", "sdxl", "flux", null]) expect(speedPlan("quality", family, 20)).toEqual({ speed: "quality", mode: "disabled", option: "" });
  });

  test("UNet families (SD 1.x, 2.x, XL): spectrum for Balanced, ucache for Fast", () => {
    for (const family of ["sd1", "sd2", "sdxl"]) {
      expect(speedPlan("balanced", family, 20)).toEqual({ speed: "balanced", mode: "spectrum", option: "" });
      expect(speedPlan("fast", family, 20)).toEqual({ speed: "fast", mode: "ucache", option: "threshold=1.5" });
    }
  });

  test("DiT families (Flux, Chroma, SD3, Z-Image, Qwen-Image…): easycache for Balanced, cache-dit for Fast — never ucache", () => {
    for (const family of ["flux", "flux2", "chroma", "sd3", "z-image", "qwen-image"]) {
      expect(speedPlan("balanced", family, 28)).toEqual({ speed: "balanced", mode: "easycache", option: "threshold=0.2" });
      expect(speedPlan("fast", family, 28).mode).toBe("cache-dit");
    }
  });

  test("too few steps (turbo at 1–4) or an unknown family: Quality, with a note saying why", () => {
    const turbo = speedPlan("fast", "sdxl", 4);
    expect(turbo.mode).toBe("disabled");
    expect(turbo.note).toContain("4 steps are too few");
    expect(speedPlan("fast", "sdxl", MIN_CACHE_STEPS).mode).toBe("ucache");
    expect(speedPlan("balanced", null, 20)).toMatchObject({ mode: "disabled", note: expect.stringContaining("no step caching") });
    expect(speedPlan("balanced", "wan-vace", 20).note).toContain("wan-vace models have no step caching");
  });

  test("texts: infotext value and the card's reuse line", () => {
    expect(cacheText({ mode: "ucache", option: "threshold=1.5" })).toBe("ucache threshold=1.5");
    expect(cacheText({ mode: "spectrum", option: "" })).toBe("spectrum");
    expect(reuseText({ method: "UCache", skipped: 9, total: 20 })).toBe("9 of 20 steps reused, ×1.8");
    expect(reuseText({ method: "UCache", skipped: 0, total: 20 })).toBe("no steps reused (UCache)");
  });
});

describe("upstream's cache summary lines (recorded) → progress", () => {
  test("skipped, with and without the estimate; completed without skipping", () => {
    expect(parseProgress("[INFO ] sample-cache.cpp:318  - UCache skipped 9/20 steps (1.82x estimated speedup)")).toEqual({ kind: "cache", method: "UCache", skipped: 9, total: 20 });
    expect(parseProgress("[INFO ] sample-cache.cpp:354  - Spectrum skipped 9/20 steps (1.82x estimated speedup)")).toEqual({ kind: "cache", method: "Spectrum", skipped: 9, total: 20 });
    expect(parseProgress("[INFO ] sample-cache.cpp:342  - CacheDIT skipped 20/20 steps")).toEqual({ kind: "cache", method: "CacheDIT", skipped: 20, total: 20 });
    expect(parseProgress("[INFO ] sample-cache.cpp:309  - EasyCache completed without skipping steps")).toEqual({ kind: "cache", method: "EasyCache", skipped: 0, total: 0 });
    expect(parseProgress("[INFO ] sample-cache.cpp:96   - UCache enabled - threshold: 1.500, start: 0.15, end: 0.95")).toBeUndefined();
  });
});

describe("request → img_gen body", () => {
  const dir = mkdtempSync(join(tmpdir(), "ed-speed-"));
  const paths = resolvePaths({ home: dir, platform: "linux", ci: true }, { dataDir: dir });
  mkdirSync(join(paths.models, "stable-diffusion"), { recursive: true });
  mkdirSync(join(paths.models, "diffusion_models"), { recursive: true });
  mkdirSync(join(paths.models, "lora"), { recursive: true });
  writeSafetensors(join(paths.models, "stable-diffusion", "sd15.safetensors"), TELLTALES.sd1!);
  writeSafetensors(join(paths.models, "diffusion_models", "flux.safetensors"), TELLTALES.flux!);
  const search = searchPath(paths);
  const body = (fields: Record<string, unknown>) => {
    const r = resolveRequest(imageRequestSchema.parse({ prompt: "a cat", model: "sd15.safetensors", seed: 5, ...fields }), { format: "png", quality: 90 });
    return toImgGenBody(r, resolveModels(search, r));
  };

  test("the family comes from the model's header; the mode and option go to cache_mode / cache_option", () => {
    expect(body({ speed: "fast" })).toMatchObject({ cache_mode: "ucache", cache_option: "threshold=1.5" });
    const balanced = body({ speed: "balanced" });
    expect(balanced.cache_mode).toBe("spectrum");
    expect("cache_option" in balanced).toBe(false);
    expect(body({ speed: "balanced", model: "flux.safetensors" })).toMatchObject({ cache_mode: "easycache", cache_option: "threshold=0.2" });
  });

  test("Quality, no speed, or too few steps: no cache fields at all (the engine's default, disabled)", () => {
    for (const fields of [{ speed: "quality" }, {}, { speed: "fast", steps: 4 }]) {
      const b = body(fields);
      expect("cache_mode" in b || "cache_option" in b).toBe(false);
    }
  });

  test("an unknown speed is refused by the schema with the choices", () => {
    const r = imageRequestSchema.safeParse({ prompt: "x", model: "m", speed: "turbo" });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain("quality, balanced, fast");
  });
});

describe("metadata round trip", () => {
  const base = resolveRequest(imageRequestSchema.parse({ prompt: "a cat", model: "sd15.safetensors", seed: 5, steps: 20, speed: "fast" }), { format: "png", quality: 90 });
  const ran = { ...base, cache: { mode: "ucache" as const, option: "threshold=1.5", reused: "9 of 20 steps reused, ×1.8" } };

  test("infotext: Speed, Cache and what was reused; Speed read back", () => {
    const text = formatInfotext(ran, { version: "Easy Diffusion test" });
    expect(text).toContain('Speed: fast, Cache: ucache threshold=1.5, Cache reused: "9 of 20 steps reused, ×1.8"');
    const parsed = parseInfotext(text);
    expect(parsed.params["Cache"]).toBe("ucache threshold=1.5");
    expect(infotextToSettings(parsed).speed).toBe("fast");
    // Quality writes neither key.
    const quality = formatInfotext({ ...base, speed: "quality" }, { version: "x" });
    expect(quality).not.toContain("Speed:");
    expect(quality).not.toContain("Cache:");
  });

  test("our JSON keeps speed and cache; Reuse settings gets the speed back (PNG, JPEG, WebP)", async () => {
    for (const format of ["png", "jpeg", "webp"] as const) {
      const image = await embedMetadata(png(64, 64), { ...ran, output_format: format });
      const meta = readImageMetadata(image.bytes);
      expect(meta.source).toBe("easy-diffusion");
      expect(meta.settings.speed).toBe("fast");
      expect(meta.parameters).toContain("Cache: ");
    }
  });
});
