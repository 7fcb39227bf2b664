import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolvePaths } from "../../core/paths";
import { LORA_EXTENSIONS, loraFileProblem } from "../../engine/lora-files";
import { ModelNotFoundError, UnusableLoraError, resolveModels } from "../../models/resolve";
import { searchPath } from "../../models/roots";
import { walkModelFolder } from "../../models/walk";
import { pickNext } from "../../queue/pick";
import { imageRequestSchema, resolveRequest } from "../../common/image-request";
import { modelSetKey, textEncoderSlot } from "../../models/model-set";
import { translate } from "../../queue/translate";
import { dataUrl, png } from "./images";

function dataDir() {
  const dir = mkdtempSync(join(tmpdir(), "ed-translate-"));
  const paths = resolvePaths({ home: dir, platform: "linux", ci: true }, { dataDir: dir });
  const put = (rel: string) => {
    mkdirSync(join(paths.models, rel, ".."), { recursive: true });
    writeFileSync(join(paths.models, rel), "weights");
  };
  for (const f of [
    "stable-diffusion/sd15.safetensors",
    "diffusion_models/flux1-dev-q4.gguf",
    "vae/ae.safetensors",
    "text_encoders/clip_l.safetensors",
    "text_encoders/t5xxl_fp16.safetensors",
    "lora/styles/film.safetensors",
    "lora/old.ckpt",
    "lora/old.safetensors",
    "lora/legacy.bin",
    "lora/Grain.PTH",
    "controlnet/canny.safetensors",
    "stable-diffusion/.hidden.safetensors",
    "stable-diffusion/readme.txt",
  ])
    put(f);
  return paths;
}

const req = (fields: Record<string, unknown>) => resolveRequest(imageRequestSchema.parse({ prompt: "a cat", model: "sd15.safetensors", seed: 5, ...fields }), { format: "png", quality: 90 });

describe("translate", () => {
  const paths = dataDir();

  test("txt2img with a checkpoint, LoRA from a prompt tag, sampler, scheduler", () => {
    const r = req({ prompt: "a cat <lora:styles/film:0.7>", negative_prompt: "blurry", steps: 12, cfg_scale: 5.5, sampler: "euler_a", scheduler: "karras", width: 768, height: 512, num_images: 2, clip_skip: 2 });
    const { modelSet, body } = translate(r, resolveModels(searchPath(paths), r));
    expect(modelSet).toEqual({ model: join(paths.models, "stable-diffusion/sd15.safetensors"), loraDir: join(paths.models, "lora"), embeddingsDir: join(paths.models, "embeddings") });
    expect(body).toEqual({
      prompt: "a cat",
      negative_prompt: "blurry",
      width: 768,
      height: 512,
      seed: 5,
      batch_count: 2,
      clip_skip: 2,
      sample_params: { sample_steps: 12, sample_method: "euler_a", scheduler: "karras", guidance: { txt_cfg: 5.5 } },
      lora: [{ path: "styles/film.safetensors", multiplier: 0.7 }],
      output_format: "png",
    });
  });

  test("split Flux-style model set; img2img, mask, control, hires, tiling, jpeg quality", () => {
    const img = dataUrl(png());
    const r = req({
      model: "flux1-dev-q4.gguf",
      vae: "ae.safetensors",
      text_encoders: ["clip_l.safetensors", "t5xxl_fp16.safetensors"],
      guidance: 3.5,
      init_image: img,
      strength: 0.4,
      mask: img,
      control_image: img,
      controlnet: "canny.safetensors",
      control_strength: 0.8,
      hires: { scale: 1.5, steps: 8 },
      vae_tiling: true,
      output_format: "jpeg",
      output_quality: 80,
    });
    const { modelSet, body } = translate(r, resolveModels(searchPath(paths), r));
    expect(modelSet.model).toBeUndefined();
    expect(modelSet.diffusionModel).toEndWith("diffusion_models/flux1-dev-q4.gguf");
    expect(modelSet.clipL).toEndWith("clip_l.safetensors");
    expect(modelSet.t5xxl).toEndWith("t5xxl_fp16.safetensors");
    expect(modelSet.vae).toEndWith("vae/ae.safetensors");
    expect(modelSet.controlNet).toEndWith("controlnet/canny.safetensors");
    expect(body).toMatchObject({
      init_image: img,
      strength: 0.4,
      mask_image: img,
      control_image: img,
      control_strength: 0.8,
      hires: { enabled: true, upscaler: "Latent", scale: 1.5, steps: 8, denoising_strength: 0.7 },
      vae_tiling_params: { enabled: true },
      // JPEG and WebP are encoded by the launcher from the engine's PNG.
      output_format: "png",
      sample_params: { guidance: { txt_cfg: 7, distilled_guidance: 3.5 } },
    });
    expect(body.output_compression).toBeUndefined();
    expect(translate({ ...r, output_format: "webp", output_quality: 70 }, resolveModels(searchPath(paths), r)).body).toMatchObject({ output_format: "png" });
    expect(translate({ ...r, output_format: "webp", output_quality: 70 }, resolveModels(searchPath(paths), r)).body.output_compression).toBeUndefined();
    expect(translate(r, resolveModels(searchPath(paths), r))).toEqual(translate(r, resolveModels(searchPath(paths), r)));
  });

  test("missing models are named", () => {
    expect(() => resolveModels(searchPath(paths), req({ model: "nope.safetensors" }))).toThrow(ModelNotFoundError);
    expect(() => resolveModels(searchPath(paths), req({ loras: [{ name: "missing", weight: 1 }] }))).toThrow('loras.0.name: no lora model "missing"');
  });

  test("LoRAs go to the engine relative to the LoRA folder; a file type the engine does not load is refused with the reason", () => {
    const r = req({ prompt: "x <lora:old:0.5>", loras: [{ name: "styles/film.safetensors", weight: 1 }, { name: "Grain.PTH", weight: 0.2 }] });
    const models = resolveModels(searchPath(paths), r);
    expect(models.loras.map((l) => [l.enginePath, l.path])).toEqual([
      ["styles/film.safetensors", join(paths.models, "lora/styles/film.safetensors")],
      ["Grain.PTH", join(paths.models, "lora/Grain.PTH")],
      ["old.safetensors", join(paths.models, "lora/old.safetensors")],
    ]);
    expect(translate(r, models).body.lora).toEqual([
      { path: "styles/film.safetensors", multiplier: 1 },
      { path: "Grain.PTH", multiplier: 0.2 },
      { path: "old.safetensors", multiplier: 0.5 },
    ]);
    for (const name of ["legacy", "legacy.bin", "old.ckpt"]) {
      expect(() => resolveModels(searchPath(paths), req({ loras: [{ name, weight: 1 }] }))).toThrow(UnusableLoraError);
    }
    expect(() => resolveModels(searchPath(paths), req({ loras: [{ name: "legacy", weight: 1 }] }))).toThrow("the engine does not load .bin files as LoRAs (it loads .safetensors, .gguf, .pt, .pth)");
  });

  test("a LoRA inside a linked folder is refused (the engine's scan does not enter it); a linked file is fine", () => {
    const own = dataDir();
    const outside = mkdtempSync(join(tmpdir(), "ed-linked-"));
    writeFileSync(join(outside, "far.safetensors"), "weights");
    symlinkSync(outside, join(own.models, "lora", "linked"));
    symlinkSync(join(outside, "far.safetensors"), join(own.models, "lora", "far-link.safetensors"));
    expect(() => resolveModels(searchPath(own), req({ loras: [{ name: "linked/far", weight: 1 }] }))).toThrow("inside a linked folder (linked)");
    expect(resolveModels(searchPath(own), req({ loras: [{ name: "far-link", weight: 1 }] })).loras[0]!.enginePath).toBe("far-link.safetensors");
  });

  test("LoRA file rules are upstream's is_supported_model_ext", () => {
    expect(LORA_EXTENSIONS).toEqual([".safetensors", ".gguf", ".pt", ".pth"]);
    expect(["a.safetensors", "sub/b.GGUF", "c.pt", "d.pth"].map(loraFileProblem)).toEqual([null, null, null, null]);
    expect(loraFileProblem("a.ckpt")).toContain("does not load .ckpt files");
    expect(loraFileProblem("a.sft")).toContain("does not load .sft files");
    expect(loraFileProblem("noext")).toContain("no extension");
  });

  test("text encoder slots by name", () => {
    expect(["clip_l.safetensors", "clip_g.gguf", "t5xxl_fp8_e4m3fn.safetensors", "umt5-xxl-enc.gguf", "qwen_2.5_vl_7b.safetensors"].map(textEncoderSlot)).toEqual(["clipL", "clipG", "t5xxl", "t5xxl", "llm"]);
  });

  test("model listing: relative paths with model extensions, no hidden files", () => {
    const names = (kind: string) => walkModelFolder(join(paths.models, kind)).map((f) => f.name);
    expect(names("stable-diffusion")).toEqual(["sd15.safetensors"]);
    // Every model file is listed; models/usable.ts says which LoRAs the engine cannot load (engine/lora-files.ts).
    expect(names("lora")).toEqual(["Grain.PTH", "legacy.bin", "old.ckpt", "old.safetensors", "styles/film.safetensors"]);
    expect(names("embeddings")).toEqual([]);
  });

  test("model set key ignores key order", () => {
    expect(modelSetKey({ loraDir: "l", model: "m" })).toBe(modelSetKey({ model: "m", loraDir: "l" }));
  });
});

describe("pickNext: group by model set within fairness", () => {
  const q = (...keys: string[]) => keys.map((k, i) => ({ id: `t${i}`, modelKey: k }));
  test("queue order when the head uses the loaded model or nothing is loaded", () => {
    expect(pickNext(q("A", "B"), "A", new Map())).toEqual({ id: "t0", skipped: [] });
    expect(pickNext(q("B", "A"), null, new Map())).toEqual({ id: "t0", skipped: [] });
    expect(pickNext([], "A", new Map())).toBeNull();
  });
  test("a task with the loaded model set goes first, until the passed-over task has waited enough", () => {
    expect(pickNext(q("B", "B", "A"), "A", new Map())).toEqual({ id: "t2", skipped: ["t0", "t1"] });
    expect(pickNext(q("B", "A"), "A", new Map([["t0", 3]]))).toEqual({ id: "t0", skipped: [] });
    expect(pickNext(q("B", "C"), "A", new Map())).toEqual({ id: "t0", skipped: [] });
  });
});
