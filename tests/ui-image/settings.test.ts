/** The Image workspace's pure parts: form → request, problems, restore, mask history, progress text. */
import { describe, expect, test } from "bun:test";
import { imageRequestSchema } from "../../common/image-request";
import { removeNthLoraTag } from "../../ui/src/apps/image/ed-prompt-box";
import {
  DEFAULT_SETTINGS,
  imageInputsFromRequest,
  MAX_SAVED_IMAGE_CHARS,
  restoreSettings,
  settingsForSaving,
  settingsFromRequest,
  toRequest,
  type ImageSettings,
} from "../../ui/src/apps/image/image-settings";
import { requestProblems } from "../../ui/src/apps/image/request-check";
import { MaskHistory } from "../../ui/src/apps/image/mask-ops";
import { formatEta, formatRate, progressText } from "../../ui/src/apps/queue/progress-format";

const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const base: ImageSettings = { ...DEFAULT_SETTINGS, prompt: "a fox", model: "sd15.safetensors" };

describe("toRequest", () => {
  test("a plain form is a valid request with a random seed and no optional extras", () => {
    const body = toRequest(base);
    expect(body).toMatchObject({ prompt: "a fox", seed: "random", steps: 20, width: 512, height: 512, model: "sd15.safetensors" });
    for (const key of ["sampler", "scheduler", "clip_skip", "vae", "init_image", "mask", "hires", "output_format", "incognito", "guidance"]) expect(body).not.toHaveProperty(key);
    expect(imageRequestSchema.safeParse(body).success).toBe(true);
  });

  test("every field the form has reaches the request", () => {
    const s: ImageSettings = {
      ...base,
      random_seed: false,
      seed: 42,
      sampler: "euler_a",
      scheduler: "karras",
      guidance: 3.5,
      clip_skip: 2,
      vae: "vae.safetensors",
      text_encoders: ["t5.gguf"],
      loras: [{ name: "foxy", weight: 0.7 }],
      init_image: PNG,
      strength: 0.5,
      mask: PNG,
      ref_images: [PNG],
      control_image: PNG,
      controlnet: "canny.safetensors",
      control_strength: 0.8,
      hires_enabled: true,
      vae_tiling: true,
      output_format: "webp",
      output_quality: 80,
    };
    const body = toRequest(s, true);
    expect(body).toMatchObject({
      seed: 42, sampler: "euler_a", scheduler: "karras", guidance: 3.5, clip_skip: 2, vae: "vae.safetensors", text_encoders: ["t5.gguf"],
      loras: [{ name: "foxy", weight: 0.7 }], init_image: PNG, strength: 0.5, mask: PNG, ref_images: [PNG], control_image: PNG,
      controlnet: "canny.safetensors", control_strength: 0.8, hires: DEFAULT_SETTINGS.hires, vae_tiling: true, output_format: "webp",
      output_quality: 80, incognito: true,
    });
    const { incognito: _, ...fields } = body;
    expect(imageRequestSchema.safeParse(fields).success).toBe(true);
  });

  test("a mask without an init image is not sent", () => {
    expect(toRequest({ ...base, mask: PNG })).not.toHaveProperty("mask");
  });
});

describe("requestProblems", () => {
  test("explains a size that is not a multiple of 64 and names the sizes that work", () => {
    const p = requestProblems({ ...base, width: 500 });
    expect(p.width).toContain("multiple of 64");
    expect(p.width).toContain("448 or 512");
    expect(p.height).toBeUndefined();
  });

  test("an empty number box, a missing model and too many steps are each reported on their field", () => {
    const p = requestProblems({ ...base, model: "", steps: 500, cfg_scale: Number.NaN, num_images: 1.5 });
    expect(Object.keys(p).sort()).toEqual(["cfg_scale", "model", "num_images", "steps"]);
    expect(p.cfg_scale).toBe("enter a number");
    expect(p.num_images).toBe("must be a whole number");
    expect(p.steps).toBe("at most 100 (the engine's limit)");
  });

  test("a valid form has no problems", () => {
    expect(requestProblems(base)).toEqual({});
  });
});

describe("restoring", () => {
  test("settings from a stored request or parsed image keep what fits and drop what does not", () => {
    const s = settingsFromRequest({ prompt: "p", seed: 7, steps: "many", width: 768, sampler: "heun", hires: { scale: 1.5 }, loras: [{ name: "a" }, 3], bogus: 1 });
    expect(s).toEqual({ prompt: "p", seed: 7, random_seed: false, width: 768, sampler: "heun", hires_enabled: true, hires: { ...DEFAULT_SETTINGS.hires, scale: 1.5 }, loras: [{ name: "a", weight: 1 }] });
  });

  test("saved tab state comes back; wrong types fall back to defaults", () => {
    const back = restoreSettings({ ...settingsForSaving({ ...base, guidance: 4 }), steps: "x", tasks: ["t1"] });
    expect(back).toEqual({ ...base, guidance: 4 });
  });

  test("large pictures are left out of the saved state (it is capped for all tabs together)", () => {
    const big = "data:image/png;base64," + "A".repeat(MAX_SAVED_IMAGE_CHARS);
    const saved = settingsForSaving({ ...base, init_image: big, mask: PNG, ref_images: [PNG, big] });
    expect(saved.init_image).toBeUndefined();
    expect(saved.mask).toBeUndefined();
    expect(saved.ref_images).toEqual([PNG]);
  });

  test("a stored request's pictures come back; placeholders and absent ones clear the form's", () => {
    expect(imageInputsFromRequest({ init_image: PNG, mask: PNG, control_image: true, ref_images: [PNG, true] })).toEqual({ init_image: PNG, mask: PNG, control_image: undefined, ref_images: [PNG] });
    expect(imageInputsFromRequest({ mask: PNG })).toEqual({ init_image: undefined, mask: undefined, control_image: undefined, ref_images: [] });
  });

  test("a LoRA chip removes only its own tag", () => {
    expect(removeNthLoraTag("a <lora:x:1> b <lora:y:0.5> c", 1)).toBe("a <lora:x:1> b c");
  });
});

describe("mask history", () => {
  test("undo and redo move through the ops; a new op drops the redo tail", () => {
    const h = new MaskHistory();
    h.push({ kind: "stroke", mode: "paint", size: 4, points: [[1, 1]] });
    h.push({ kind: "invert" });
    expect(h.ops.length).toBe(2);
    h.undo();
    expect(h.ops.map((o) => o.kind)).toEqual(["stroke"]);
    expect(h.canRedo).toBe(true);
    h.push({ kind: "clear" });
    expect(h.canRedo).toBe(false);
    expect(h.ops.map((o) => o.kind)).toEqual(["stroke", "clear"]);
  });
});

describe("progress text", () => {
  test("step, speed and time left read as people expect", () => {
    expect(progressText({ step: 7, steps: 20, rate: 1.9, eta: 7 })).toBe("step 7 / 20 · 1.90 it/s · 7 s left");
    expect(formatRate(0.25)).toBe("4.00 s/it");
    expect(formatEta(125)).toBe("2 min 5 s");
    expect(progressText({ phase: "loading", step: 0, steps: 20 })).toBe("loading the model…");
    expect(progressText({ phase: "upscaling", step: 0, steps: 0, rate: null, eta: null })).toBe("upscaling…");
    expect(progressText({ phase: "upscaling", step: 3, steps: 9, rate: 2, eta: 3 })).toBe("upscaling… · tile 3 / 9 · 2.00 it/s · 3 s left");
  });
});
