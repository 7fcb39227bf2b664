/** A1111 request → our request (pure): sampler/scheduler names, models, hires, img2img, notes. */
import { describe, expect, test } from "bun:test";
import { A1111HttpError } from "../../compat/a1111/errors";
import { img2imgRequestSchema, txt2imgRequestSchema } from "../../compat/a1111/schemas";
import { LEAST_HIRES_STRENGTH, mapSampler, translateImg2Img, translateTxt2Img } from "../../compat/a1111/translate";
import { findCheckpoint } from "../../compat/checkpoints";

const ctx = { checkpoints: ["sd15.safetensors", "sdxl/base.safetensors"], current: "sd15.safetensors", vaes: ["ft-mse.safetensors"] };
const t2i = (body: object) => translateTxt2Img(txt2imgRequestSchema.parse(body), ctx);

describe("samplers", () => {
  test.each([
    ["Euler a", undefined, { sampler: "euler_a" }],
    ["DPM++ 2M", "Karras", { sampler: "dpm++2m", scheduler: "karras" }],
    ["DPM++ 2M Karras", undefined, { sampler: "dpm++2m", scheduler: "karras" }],
    ["DPM++ 2M SDE", "Exponential", { sampler: "dpm++2m_sde", scheduler: "exponential" }],
    ["euler_a", "Automatic", { sampler: "euler_a" }],
    ["LCM", "sgm_uniform", { sampler: "lcm", scheduler: "sgm_uniform" }],
  ])("%s + %s", (name, scheduler, want) => {
    expect(mapSampler(name, scheduler)).toEqual(want as object);
  });

  test.each([
    ["UniPC", undefined, "dpm++2m", undefined],
    ["PLMS", undefined, "ipndm", undefined],
    ["DPM adaptive", undefined, "dpm++2m", undefined],
    ["DPM fast", undefined, "dpm++2m", undefined],
    ["DPM++ SDE Karras", undefined, "dpm++2s_a", "karras"],
    ["DPM++ 3M SDE", "Exponential", "dpm++2m_sde", "exponential"],
    ["DPM++ 2M SDE Heun", undefined, "dpm++2m_sde", undefined],
    ["DPM2 a Karras", undefined, "dpm2", "karras"],
    ["Restart", undefined, "heun", undefined],
    ["DDIM CFG++", undefined, "euler_cfg_pp", undefined],
    ["k_dpmpp_sde", undefined, "dpm++2s_a", undefined],
  ])("A1111's %s (+ %s) has no engine equivalent: %s runs, said in notes", (name, scheduler, sampler, sched) => {
    const notes: string[] = [];
    expect(mapSampler(name, scheduler, notes)).toEqual({ sampler, ...(sched ? { scheduler: sched } : {}) } as object);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(`${sampler} ran instead`);
  });

  test("every A1111 sampler name and alias runs (sd_samplers_kdiffusion, _timesteps, _lcm)", () => {
    const names = ["DPM++ 2M", "DPM++ SDE", "DPM++ 2M SDE", "DPM++ 2M SDE Heun", "DPM++ 2S a", "DPM++ 3M SDE", "Euler a", "Euler", "LMS", "Heun", "DPM2", "DPM2 a", "DPM fast", "DPM adaptive", "Restart", "DDIM", "DDIM CFG++", "PLMS", "UniPC", "LCM"];
    const aliases = ["k_dpmpp_2m", "k_dpmpp_sde", "k_dpmpp_2m_sde", "k_dpmpp_2m_sde_heun", "k_dpmpp_2s_a", "k_dpmpp_3m_sde", "k_euler_a", "k_euler_ancestral", "k_euler", "k_lms", "k_heun", "k_dpm_2", "k_dpm_2_a", "k_dpm_fast", "k_dpm_ad", "restart", "ddim", "ddim_cfgpp", "plms", "unipc", "k_lcm"];
    for (const n of [...names, ...aliases]) expect({ n, sampler: typeof mapSampler(n, undefined).sampler }).toEqual({ n, sampler: "string" });
  });

  test("unknown names are A1111's 404s", () => {
    expect(() => mapSampler("UniPC 9000", undefined)).toThrow(new A1111HttpError(404, "Sampler not found"));
    expect(() => mapSampler("Euler", "Wobbly")).toThrow(new A1111HttpError(404, "Scheduler not found"));
  });
});

describe("txt2img", () => {
  test("defaults: current model, random seed, batch_size × n_iter pictures, PNG", () => {
    expect(t2i({ prompt: "p", batch_size: 2, n_iter: 3 }).request).toMatchObject({ prompt: "p", model: "sd15.safetensors", seed: "random", num_images: 6, width: 512, height: 512, steps: 20, cfg_scale: 7, output_format: "png" });
  });

  test("override_settings: checkpoint by title, bare name or file; VAE; clip skip", () => {
    expect(t2i({ override_settings: { sd_model_checkpoint: "base [0123456789]" } }).request.model).toBe("sdxl/base.safetensors");
    expect(t2i({ override_settings: { sd_model_checkpoint: "sd15" } }).request.model).toBe("sd15.safetensors");
    const r = t2i({ override_settings: { sd_vae: "ft-mse.safetensors", CLIP_stop_at_last_layers: 2 } }).request;
    expect(r).toMatchObject({ vae: "ft-mse.safetensors", clip_skip: 2 });
    expect(() => t2i({ override_settings: { sd_model_checkpoint: "nope" } })).toThrow(new A1111HttpError(404, "Model not found"));
    expect(() => translateTxt2Img(txt2imgRequestSchema.parse({}), { ...ctx, current: null })).toThrow(A1111HttpError);
  });

  test("hires fix: scale or exact size; an unknown upscaler falls back to Latent with a note", () => {
    expect(t2i({ enable_hr: true, hr_scale: 1.5, hr_upscaler: "Latent (nearest)", hr_second_pass_steps: 5, denoising_strength: 0.4 }).request.hires).toEqual({ scale: 1.5, upscaler: "Latent (nearest)", steps: 5, denoising_strength: 0.4 });
    const exact = t2i({ enable_hr: true, hr_resize_x: 1024, hr_resize_y: 768, hr_upscaler: "4x-UltraSharp" });
    // No denoising_strength: A1111's txt2img default 0.75 (processing.py StableDiffusionProcessingTxt2Img).
    expect(exact.request.hires).toMatchObject({ width: 1024, height: 768, upscaler: "Latent", denoising_strength: 0.75 });
    expect(exact.notes.join()).toContain('hr_upscaler "4x-UltraSharp" is not available');
    expect(t2i({}).request.hires).toBeUndefined();
  });

  test("hires strength 0: A1111 leaves the upscaled picture as it is; the engine gets one step at its least strength, said in notes", () => {
    const { request, notes } = t2i({ enable_hr: true, denoising_strength: 0, hr_second_pass_steps: 10 });
    expect(request.hires).toMatchObject({ steps: 1, denoising_strength: LEAST_HIRES_STRENGTH });
    expect(LEAST_HIRES_STRENGTH).toBeGreaterThan(0);
    expect(notes.join(" ")).toContain("denoising_strength 0 with enable_hr");
    expect(t2i({ enable_hr: true, hr_upscaler: "None" }).request.hires).toMatchObject({ upscaler: "Lanczos" });
  });

  test("what the engine cannot do is named in notes", () => {
    const { notes } = t2i({ restore_faces: true, alwayson_scripts: { ADetailer: {} }, subseed_strength: 0.5, styles: ["a"], tiling: true });
    expect(notes).toHaveLength(5);
  });
});

describe("img2img", () => {
  test("first init image, strength, mask; inpainting_fill noted", () => {
    const req = img2imgRequestSchema.parse({ init_images: ["AAA", "BBB"], mask: "MMM", denoising_strength: 0.3, inpainting_fill: 2 });
    const { request, notes } = translateImg2Img(req, ctx);
    expect(request).toMatchObject({ init_image: "AAA", mask: "MMM", strength: 0.3 });
    expect(notes.join(" ")).toContain("only the first of 2 init_images");
    expect(notes.join(" ")).toContain("inpainting_fill 2 is treated as 1");
  });
});

describe("checkpoint names", () => {
  test("title, file, bare name, nested file name", () => {
    const files = ["a.safetensors", "sub/b.gguf"];
    expect(findCheckpoint(files, "a.safetensors [abcdef0123]")).toBe("a.safetensors");
    expect(findCheckpoint(files, "a")).toBe("a.safetensors");
    expect(findCheckpoint(files, "b.gguf")).toBe("sub/b.gguf");
    expect(findCheckpoint(files, "sub/b.gguf")).toBe("sub/b.gguf");
    expect(findCheckpoint(files, "c")).toBeNull();
    expect(findCheckpoint(files, "")).toBeNull();
  });
});
