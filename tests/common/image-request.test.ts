import { describe, expect, test } from "bun:test";
import { extractLoraTags, withLoraTags } from "../../common/lora-tags";
import { imageRequestSchema, MAX_PROMPT_LENGTH, resolveRequest } from "../../common/image-request";
import { dataUrl, JPEG_8x8, png, WEBP_8x8 } from "../queue/images";

const base = { prompt: "a cat", model: "sd15.safetensors" };
const issues = (input: unknown) => {
  const r = imageRequestSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("request schema", () => {
  test("fills defaults", () => {
    const r = imageRequestSchema.parse(base);
    expect(r).toMatchObject({ prompt: "a cat", negative_prompt: "", seed: "random", steps: 20, cfg_scale: 7, width: 512, height: 512, num_images: 1, loras: [], vae_tiling: false });
  });

  test("sizes: multiples of 64 in 64..4096, explained with the nearest valid ones", () => {
    expect(issues({ ...base, width: 500 })).toEqual(["width: 500 is not a multiple of 64 (the engine works in 64-pixel blocks); use 448 or 512"]);
    expect(issues({ ...base, height: 32 })[0]).toContain("outside 64–4096");
    expect(issues({ ...base, height: 4160 })[0]).toContain("outside 64–4096");
    expect(issues({ ...base, width: 512.5 })[0]).toContain("whole number");
    expect(issues({ ...base, width: 4096, height: 64 })).toEqual([]);
  });

  test("sampler and scheduler come from the engine's lists", () => {
    expect(issues({ ...base, sampler: "dpm++2m", scheduler: "karras" })).toEqual([]);
    const [msg] = issues({ ...base, sampler: "DPM++ 2M Karras" });
    expect(msg).toContain('unknown sampler "DPM++ 2M Karras"');
    expect(msg).toContain("euler_a");
    expect(issues({ ...base, scheduler: "nope" })[0]).toContain('unknown scheduler "nope"');
  });

  test("prompt length is limited", () => {
    expect(issues({ ...base, prompt: "x".repeat(MAX_PROMPT_LENGTH + 1) })[0]).toContain(`longer than ${MAX_PROMPT_LENGTH}`);
  });

  test("model paths stay inside their folder", () => {
    expect(issues({ ...base, model: "../secrets.safetensors" })[0]).toContain("no ..");
    expect(issues({ ...base, model: "sub/../../x" })[0]).toContain("no ..");
    expect(issues({ ...base, model: "/etc/passwd" })[0]).toContain("absolute");
    expect(issues({ ...base, vae: "C:\\vae.pt" })[0]).toContain("absolute");
    expect(issues({ ...base, model: "sdxl/juggernaut.safetensors" })).toEqual([]);
  });

  test("images must really be PNG, JPEG or WebP", () => {
    expect(issues({ ...base, init_image: dataUrl(png()) })).toEqual([]);
    expect(issues({ ...base, init_image: dataUrl(JPEG_8x8, "image/jpeg") })).toEqual([]);
    expect(issues({ ...base, init_image: Buffer.from(WEBP_8x8).toString("base64") })).toEqual([]);
    expect(issues({ ...base, init_image: dataUrl(new TextEncoder().encode("GIF89a not really")) })[0]).toContain("not a PNG, JPEG or WebP");
    expect(issues({ ...base, init_image: "hello world" })[0]).toContain("data URL");
  });

  test("cross-field rules", () => {
    expect(issues({ ...base, mask: dataUrl(png()) })[0]).toContain("mask: needs an init_image");
    expect(issues({ ...base, controlnet: "canny.safetensors" })[0]).toContain("control_image");
    expect(issues({ ...base, hires: { width: 1024 } })[0]).toContain("both width and height");
  });

  test("unknown fields are refused (typos do not vanish silently)", () => {
    expect(issues({ ...base, stpes: 30 })[0]).toContain("stpes");
  });

  test("LoRA tags move from the prompt into loras; explicit entries win", () => {
    const r = imageRequestSchema.parse({
      ...base,
      prompt: "a cat, <lora:add_detail:0.6>, on a mat <lora:sub/style> <LORA:grain:-0.5>",
      loras: [{ name: "add_detail", weight: 1 }],
    });
    expect(r.prompt).toBe("a cat, on a mat");
    expect(r.loras).toEqual([
      { name: "add_detail", weight: 1 },
      { name: "sub/style", weight: 1 },
      { name: "grain", weight: -0.5 },
    ]);
  });

  test("resolveRequest records the seed used and the default format", () => {
    const random = resolveRequest(imageRequestSchema.parse(base), { format: "jpeg", quality: 85 });
    expect(random.seed).toBeGreaterThanOrEqual(0);
    expect(random.seed).toBeLessThan(2 ** 32);
    expect(random).toMatchObject({ output_format: "jpeg", output_quality: 85 });
    const fixed = resolveRequest(imageRequestSchema.parse({ ...base, seed: 7, output_format: "png" }), { format: "jpeg", quality: 85 });
    expect(fixed.seed).toBe(7);
    expect(fixed.output_quality).toBeUndefined();
    expect(resolveRequest(imageRequestSchema.parse({ ...base, seed: -1 }), { format: "png", quality: 90 }).seed).not.toBe(-1);
  });
});

describe("lora tags", () => {
  test("extract and write back", () => {
    expect(extractLoraTags("<lora:a:0.5>")).toEqual({ prompt: "", loras: [{ name: "a", weight: 0.5 }] });
    expect(extractLoraTags("x <lora:a:.5:0.2> y")).toEqual({ prompt: "x y", loras: [{ name: "a", weight: 0.5 }] });
    expect(withLoraTags("a cat", [{ name: "a", weight: 0.5 }])).toBe("a cat <lora:a:0.5>");
    const back = extractLoraTags(withLoraTags("a cat", [{ name: "x", weight: 1 }, { name: "y", weight: -0.25 }]));
    expect(back).toEqual({ prompt: "a cat", loras: [{ name: "x", weight: 1 }, { name: "y", weight: -0.25 }] });
  });
});
