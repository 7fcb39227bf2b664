/**
 * A1111 clients as they really call (issue 24): whole bodies with every field
 * A1111's /docs StableDiffusionProcessingTxt2Img / Img2Img defaults show,
 * loose types pydantic v1 accepts, sampler names the engine lacks, the
 * built-in upscalers, the SD upscale script, every route of A1111's
 * modules/api/api.py, and the options store. Through the real HTTP routes,
 * our queue and the stand-in sd-server (which refuses what the real engine
 * refuses, e.g. hires strength 0).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { decode as decodePng, encode as encodePng } from "fast-png";
import { png } from "../queue/images";
import { a1111TestApp } from "./harness";

setDefaultTimeout(90_000);
const { app, post } = a1111TestApp("ed-a1111-clients-");
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, "base64"));
const taskOf = async (info: any) => (await (await app().api(`/api/tasks/${info.task_id}?images=1`)).json()) as any;

/** A1111's /docs default StableDiffusionProcessingTxt2Img body (v1.10 shape), with usable values. */
const fullTxt2Img = (over: Record<string, unknown> = {}) => ({
  prompt: "a lighthouse", negative_prompt: "", styles: [], seed: -1, subseed: -1, subseed_strength: 0, seed_resize_from_h: -1, seed_resize_from_w: -1,
  sampler_name: "Euler a", scheduler: "Automatic", batch_size: 1, n_iter: 1, steps: 2, cfg_scale: 7, width: 64, height: 64, restore_faces: false, tiling: false,
  do_not_save_samples: false, do_not_save_grid: false, eta: 0, denoising_strength: 0, s_min_uncond: 0, s_churn: 0, s_tmax: 0, s_tmin: 0, s_noise: 0,
  override_settings: {}, override_settings_restore_afterwards: true, refiner_checkpoint: "", refiner_switch_at: 0, disable_extra_networks: false, firstpass_image: "",
  comments: {}, enable_hr: false, firstphase_width: 0, firstphase_height: 0, hr_scale: 2, hr_upscaler: "Latent", hr_second_pass_steps: 0, hr_resize_x: 0, hr_resize_y: 0,
  hr_checkpoint_name: "", hr_sampler_name: "", hr_scheduler: "", hr_prompt: "", hr_negative_prompt: "", force_task_id: "", sampler_index: "Euler", script_name: "",
  script_args: [], send_images: true, save_images: false, alwayson_scripts: {}, infotext: "",
  ...over,
});

/** A1111's /docs default StableDiffusionProcessingImg2Img body, with usable values. */
const fullImg2Img = (over: Record<string, unknown> = {}) => {
  const { enable_hr: _e, firstphase_width: _w, firstphase_height: _h, hr_scale: _s, hr_upscaler: _u, hr_second_pass_steps: _p, hr_resize_x: _x, hr_resize_y: _y, ...rest } = fullTxt2Img();
  return {
    ...rest, init_images: [b64(png(64, 64))], resize_mode: 0, image_cfg_scale: 0, mask: null, mask_blur_x: 4, mask_blur_y: 4, mask_blur: 4, mask_round: true,
    inpainting_fill: 0, inpaint_full_res: true, inpaint_full_res_padding: 0, inpainting_mask_invert: false, initial_noise_multiplier: 0, latent_mask: "",
    include_init_images: false, denoising_strength: 0.75, ...over,
  };
};

async function images(res: Response) {
  expect(res.status).toBe(200);
  const body = (await res.json()) as any;
  return { body, info: JSON.parse(body.info) };
}

describe("hires fix with denoising_strength 0 or missing", () => {
  test("0 (A1111's /docs default): 200, one engine step at the least strength it takes, said in info", async () => {
    const { info } = await images(await post("txt2img", fullTxt2Img({ enable_hr: true, denoising_strength: 0, hr_second_pass_steps: 3 })));
    expect(info.state).toBe("succeeded");
    expect(info.notes.join(" ")).toContain("denoising_strength 0 with enable_hr");
    expect((await taskOf(info)).request.hires).toMatchObject({ steps: 1, denoising_strength: 0.01 });
  });

  test("missing: A1111's txt2img default 0.75", async () => {
    const { denoising_strength: _d, ...body } = fullTxt2Img({ enable_hr: true });
    const { info } = await images(await post("txt2img", body));
    expect((await taskOf(info)).request.hires).toMatchObject({ denoising_strength: 0.75 });
  });

  test("hr_upscaler Lanczos, Nearest and None (A1111 resizes with Lanczos for None) run", async () => {
    for (const [asked, ran] of [["Lanczos", "Lanczos"], ["Nearest", "Nearest"], ["None", "Lanczos"]]) {
      const { info } = await images(await post("txt2img", fullTxt2Img({ enable_hr: true, denoising_strength: 0.5, hr_upscaler: asked })));
      expect((await taskOf(info)).request.hires.upscaler).toBe(ran);
    }
  });
});

describe("pydantic v1 coercion", () => {
  test("img2img with inpainting_mask_invert false, numbers and booleans as strings and the other way round → 200 with the coerced values", async () => {
    const mask = b64(png(64, 64));
    const res = await post("img2img", fullImg2Img({ mask, inpainting_mask_invert: false, steps: "2", width: "64", height: 64.0, cfg_scale: "6.5", seed: "5", batch_size: true, restore_faces: 0, tiling: "false", send_images: "yes", denoising_strength: "0.5", inpainting_fill: "1", prompt: 42 }));
    const { body, info } = await images(res);
    expect(body.images).toHaveLength(1);
    const task = await taskOf(info);
    expect(task.request).toMatchObject({ steps: 2, width: 64, height: 64, cfg_scale: 6.5, seed: 5, num_images: 1, strength: 0.5, prompt: "42" });
    expect(info.notes.join(" ")).not.toContain("inpainting_mask_invert");
  });

  test("what pydantic v1 refuses is still a 422 naming the field ('7.5' for an int, 'maybe' for a bool)", async () => {
    let res = await post("txt2img", fullTxt2Img({ steps: "7.5" }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).detail[0].loc).toEqual(["body", "steps"]);
    res = await post("txt2img", fullTxt2Img({ send_images: "maybe" }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).detail[0].loc).toEqual(["body", "send_images"]);
  });

  test("inpainting_mask_invert 1 (or true) sends the engine the inverted mask", async () => {
    const white = new Uint8Array(64 * 64 * 4).fill(255);
    const mask = encodePng({ width: 64, height: 64, data: white, channels: 4, depth: 8 });
    const { info } = await images(await post("img2img", fullImg2Img({ mask: b64(mask), inpainting_mask_invert: true })));
    const sent = decodePng(fromB64((await taskOf(info)).request.mask.replace(/^data:[^,]+,/, "")));
    expect(sent.data[0]).toBe(0);
    expect(info.notes.join(" ")).toContain("the mask was inverted");
  });
});

describe("samplers A1111 offers without an engine equivalent", () => {
  test.each(["UniPC", "PLMS", "DPM adaptive", "DPM fast", "DPM++ SDE", "DPM++ 3M SDE", "DPM2 a", "Restart", "DDIM CFG++", "DPM++ 2M SDE Heun"])("%s: 200, the engine sampler that ran is named in info", async (name) => {
    const { info } = await images(await post("txt2img", fullTxt2Img({ sampler_name: name, sampler_index: name })));
    const ran = (await taskOf(info)).request.sampler;
    expect(info.notes.join(" ")).toContain(`sampler ${JSON.stringify(name)} is not in the engine; ${ran} ran instead`);
  });

  test("/sdapi/v1/samplers keeps listing only what runs", async () => {
    const names = ((await (await app().api("/sdapi/v1/samplers")).json()) as any[]).map((s) => s.name);
    expect(names).toContain("Euler a");
    for (const absent of ["UniPC", "PLMS", "DPM adaptive"]) expect(names).not.toContain(absent);
  });
});

describe("built-in upscalers in Extras", () => {
  const checker = () => {
    const d = new Uint8Array(4 * 4 * 4);
    for (let i = 0; i < 16; i++) d.set((i + Math.floor(i / 4)) % 2 ? [255, 0, 0, 255] : [0, 0, 255, 255], i * 4);
    return encodePng({ width: 4, height: 4, data: d, channels: 4, depth: 8 });
  };

  test("only an image (A1111's default upscaler_1 None): the same picture back", async () => {
    const picture = png(64, 64);
    const res = await post("extra-single-image", { image: b64(picture) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.image).toBe(b64(picture));
    expect(typeof body.html_info).toBe("string");
    // A picture over the app's 1 MB default body limit is taken (extras has a picture's limit).
    const noisy = encodePng({ width: 800, height: 800, data: new Uint8Array(800 * 800 * 4).map(() => Math.floor(Math.random() * 256)), channels: 4, depth: 8 });
    expect(noisy.length).toBeGreaterThan(2 * 1024 * 1024);
    const big = await post("extra-single-image", { image: b64(noisy) });
    expect(big.status).toBe(200);
    expect(((await big.json()) as any).image).toBe(b64(noisy));
  });

  test("A1111's full ExtrasSingleImageRequest with Lanczos ×2 and Nearest ×2 → 128×128; Nearest copies pixels exactly", async () => {
    const full = { resize_mode: 0, show_extras_results: true, gfpgan_visibility: 0, codeformer_visibility: 0, codeformer_weight: 0, upscaling_resize: 2, upscaling_resize_w: 512, upscaling_resize_h: 512, upscaling_crop: true, upscaler_2: "None", extras_upscaler_2_visibility: 0, upscale_first: false };
    for (const upscaler_1 of ["Lanczos", "Nearest"]) {
      const res = await post("extra-single-image", { ...full, upscaler_1, image: b64(png(64, 64)) });
      expect(res.status).toBe(200);
      const out = decodePng(fromB64(((await res.json()) as any).image));
      expect([out.width, out.height]).toEqual([128, 128]);
    }
    // 4×4 → A1111's Upscaler.upscale target ⌊16/8⌋·8 = 16: NEAREST to 16, no second resize.
    const res = await post("extra-single-image", { image: b64(checker()), upscaler_1: "Nearest", upscaling_resize: 4 });
    const out = decodePng(fromB64(((await res.json()) as any).image));
    expect([out.width, out.height]).toEqual([16, 16]);
    const px = (x: number, y: number) => [...out.data.slice((y * 16 + x) * 4, (y * 16 + x) * 4 + 3)];
    expect(px(0, 0)).toEqual([0, 0, 255]);
    expect(px(3, 3)).toEqual([0, 0, 255]);
    expect(px(4, 0)).toEqual([255, 0, 0]);
    expect(px(15, 15)).toEqual([0, 0, 255]);
  });

  test("Lanczos keeps a flat colour flat; resize_mode 1 scales to cover width×height and crops the centre", async () => {
    const flat = encodePng({ width: 64, height: 32, data: new Uint8Array(64 * 32 * 4).map((_, i) => [10, 200, 30, 255][i % 4]!), channels: 4, depth: 8 });
    const res = await post("extra-single-image", { image: b64(flat), upscaler_1: "Lanczos", resize_mode: 1, upscaling_resize_w: 96, upscaling_resize_h: 96, upscaling_crop: true });
    expect(res.status).toBe(200);
    const out = decodePng(fromB64(((await res.json()) as any).image));
    expect([out.width, out.height]).toEqual([96, 96]);
    for (let i = 0; i < out.data.length; i += 4) expect([out.data[i], out.data[i + 1], out.data[i + 2]]).toEqual([10, 200, 30]);
  });

  test("extra-batch-images: each picture, in order", async () => {
    const res = await post("extra-batch-images", { imageList: [{ data: b64(png(64, 64)), name: "a.png" }, { data: b64(png(32, 32)), name: "b.png" }], upscaler_1: "Lanczos", upscaling_resize: 2 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.images.map((i: string) => decodePng(fromB64(i)).width)).toEqual([128, 64]);
  });

  test("clear 4xx: unknown upscaler 404, not a picture 400, a result too large 400", async () => {
    let res = await post("extra-single-image", { image: b64(png(64, 64)), upscaler_1: "SwinIR 4x" });
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).detail).toContain("Upscaler not found");
    res = await post("extra-single-image", { image: "aGVsbG8=", upscaler_1: "Lanczos" });
    expect(res.status).toBe(400);
    res = await post("extra-single-image", { image: b64(png(64, 64)), upscaler_1: "Lanczos", upscaling_resize: 1000 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).detail).toContain("at most 8192");
  });
});

describe("img2img scripts", () => {
  test('"SD upscale" with its script_args (overlap, upscaler index 1 = Lanczos, scale 2): img2img, then each picture ×2', async () => {
    const upscalers = ((await (await app().api("/sdapi/v1/upscalers")).json()) as any[]).map((u) => u.name);
    expect(upscalers.slice(0, 3)).toEqual(["None", "Lanczos", "Nearest"]);
    const { body, info } = await images(await post("img2img", fullImg2Img({ script_name: "sd upscale", script_args: ["", 64, 1, 2] })));
    const out = decodePng(fromB64(body.images[0]));
    expect([out.width, out.height]).toEqual([128, 128]);
    expect(info.notes.join(" ")).toContain("enlarged ×2 with Lanczos");
  });

  test("other scripts: 422 naming the script (A1111's 'Script … not found'); SD upscale in txt2img too; a bad upscaler index 422", async () => {
    let res = await post("img2img", fullImg2Img({ script_name: "x/y/z plot", script_args: [] }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).detail).toStartWith("Script 'x/y/z plot' not found");
    res = await post("txt2img", fullTxt2Img({ script_name: "prompt matrix" }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).detail).toStartWith("Script 'prompt matrix' not found");
    res = await post("img2img", fullImg2Img({ script_name: "SD upscale", script_args: ["", 64, 99, 2] }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).detail).toContain("script_args[2]");
  });
});

describe("every route of A1111's modules/api/api.py", () => {
  const get = ["progress", "options", "cmd-flags", "samplers", "schedulers", "upscalers", "latent-upscale-modes", "sd-models", "sd-vae", "hypernetworks", "face-restorers", "realesrgan-models", "prompt-styles", "embeddings", "memory", "scripts", "script-info", "extensions", "loras"];
  const postOk = ["refresh-embeddings", "refresh-checkpoints", "refresh-vae", "refresh-loras", "unload-checkpoint", "reload-checkpoint", "interrupt", "skip"];
  const refused: [string, number][] = [["interrogate", 404], ["create/embedding", 400], ["create/hypernetwork", 400], ["train/embedding", 400], ["train/hypernetwork", 400], ["server-kill", 403], ["server-restart", 403], ["server-stop", 403]];

  test("the GET routes answer 200 in A1111's shapes", async () => {
    for (const path of get) expect({ path, status: (await app().api(`/sdapi/v1/${path}`)).status }).toEqual({ path, status: 200 });
    const flags = (await (await app().api("/sdapi/v1/cmd-flags")).json()) as any;
    expect(flags).toMatchObject({ api: true, nowebui: false, api_auth: null });
    expect(flags.ckpt_dir).toEndWith("stable-diffusion");
    expect((await (await app().api("/sdapi/v1/hypernetworks")).json()) as any).toEqual([]);
    expect((await (await app().api("/sdapi/v1/realesrgan-models")).json()) as any).toEqual([]);
    expect((await (await app().api("/sdapi/v1/extensions")).json()) as any).toEqual([]);
  });

  test("the no-op POST routes answer 200; what this app cannot do is a clear 4xx in A1111's error shape", async () => {
    for (const path of postOk) expect({ path, status: (await post(path, {})).status }).toEqual({ path, status: 200 });
    for (const [path, status] of refused) {
      const res = await post(path, { image: b64(png(8, 8)), model: "clip", name: "x" });
      const body = (await res.json()) as any;
      expect({ path, status: res.status, error: body.error }).toEqual({ path, status, error: "HTTPException" });
      expect(body.detail.length).toBeGreaterThan(20);
    }
  });
});

describe("options", () => {
  test("GET has A1111's standard keys with values; a POSTed standard key is kept and read back", async () => {
    const before = (await (await app().api("/sdapi/v1/options")).json()) as any;
    expect(before).toMatchObject({ send_seed: true, send_size: true, CLIP_stop_at_last_layers: 1, sd_vae: "Automatic", eta_ancestral: 1, show_progress_every_n_steps: 10 });
    expect(Object.keys(before).length).toBeGreaterThan(200);
    const res = await post("options", { ...before, send_seed: false, eta_ancestral: 0.5 });
    expect(res.status).toBe(200);
    expect(await res.json()).toBeNull();
    expect((await (await app().api("/sdapi/v1/options")).json()) as any).toMatchObject({ send_seed: false, eta_ancestral: 0.5 });
    await post("options", { send_seed: true, eta_ancestral: 1 });
  });

  test("unknown keys are not kept and are named; a flood of them stays bounded; API-restricted keys and huge values are refused", async () => {
    let res = await post("options", { my_setting: 1, send_size: false });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ignored: { my_setting: "not an A1111 option" } });
    let opts = (await (await app().api("/sdapi/v1/options")).json()) as any;
    expect(opts.my_setting).toBeUndefined();
    expect(opts.send_size).toBe(false);
    const flood = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`key_${i}`, "x".repeat(20)]));
    res = await post("options", flood);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as any;
    expect(Object.keys(answer.ignored)).toHaveLength(51);
    expect(answer.ignored["…"]).toBe("and 19950 more keys");
    res = await post("options", { api_forbid_local_requests: false, font: "x".repeat(10_000) });
    expect(((await res.json()) as any).ignored).toEqual({ api_forbid_local_requests: "A1111 does not let the API change it", font: "value longer than 4096 characters of JSON" });
    const text = await (await app().api("/sdapi/v1/options")).text();
    expect(text.length).toBeLessThan(20_000);
    opts = JSON.parse(text);
    expect(opts.api_forbid_local_requests).toBe(true);
    expect(opts.font).toBe("");
  });
});
