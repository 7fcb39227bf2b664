/**
 * The A1111/Forge routes end to end: HTTP → our queue → the stand-in
 * sd-server. Each route answers in the shape A1111's modules/api/models.py
 * documents (fixtures below), errors in A1111's `{error, detail, body,
 * errors}` with its status codes, and generated pictures are tasks like any
 * other (events on the bus, saved in outputs/, paused with the queue).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync } from "node:fs";
import { readPngText } from "../../pictures/metadata/png";
import { dataUrl, png } from "../queue/images";
import { until, waitState, type QueueApp } from "../queue/harness";
import { startCompatApp, tempData } from "./harness";

setDefaultTimeout(90_000);
const data = tempData("ed-compat-");
let q: QueueApp;
beforeAll(async () => {
  q = await startCompatApp(data.dir);
});
afterAll(async () => {
  await q?.stop();
  data.remove();
});

const post = (path: string, json: unknown) => q.api(`/sdapi/v1/${path}`, { method: "POST", json });
const get = async (path: string) => {
  const res = await q.api(`/sdapi/v1/${path}`);
  return { status: res.status, body: (await res.json()) as any };
};
const b64png = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** A1111's TextToImageResponse/ImageToImageResponse. */
function expectImagesResponse(body: any, n: number) {
  expect(Object.keys(body).sort()).toEqual(["images", "info", "parameters"]);
  expect(body.images).toHaveLength(n);
  for (const img of body.images) expect(Buffer.from(img, "base64").subarray(1, 4).toString()).toBe("PNG");
  expect(typeof body.info).toBe("string");
  return JSON.parse(body.info);
}

describe("txt2img", () => {
  test("A1111 names map to ours; the answer carries images, parameters and the info JSON string", async () => {
    const res = await post("txt2img", { prompt: "a lighthouse", negative_prompt: "blurry", steps: 3, width: 64, height: 64, sampler_name: "DPM++ 2M", scheduler: "Karras", batch_size: 2, n_iter: 1, seed: 77, cfg_scale: 6, restore_faces: true, alwayson_scripts: { controlnet: { args: [] } }, override_settings: { sd_model_checkpoint: "sd-test" } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    const info = expectImagesResponse(body, 2);
    expect(body.parameters).toMatchObject({ prompt: "a lighthouse", sampler_name: "DPM++ 2M", batch_size: 2 });
    expect(info).toMatchObject({ prompt: "a lighthouse", negative_prompt: "blurry", seed: 77, all_seeds: [77, 78], all_prompts: ["a lighthouse", "a lighthouse"], width: 64, height: 64, sampler_name: "DPM++ 2M", scheduler: "Karras", cfg_scale: 6, steps: 3, batch_size: 2, sd_model_name: "sd-test", index_of_first_image: 0 });
    expect(info.infotexts).toHaveLength(2);
    expect(info.infotexts[0]).toContain("Sampler: DPM++ 2M, Schedule type: Karras");
    expect(info.infotexts[1]).toContain("Seed: 78");
    // What the engine cannot do is named, not silently dropped.
    expect(info.notes.join(" ")).toContain("restore_faces is ignored");
    expect(info.notes.join(" ")).toContain("alwayson_scripts are ignored (controlnet)");
    // The picture in the answer is the saved one, with our metadata.
    expect(readPngText(Buffer.from(body.images[0], "base64")).parameters).toBe(info.infotexts[0]);
    // It went through our queue: a task with events, saved in outputs/.
    const task = (await (await q.api(`/api/tasks/${info.task_id}`)).json()) as any;
    expect(task.state).toBe("succeeded");
    expect(task.request).toMatchObject({ sampler: "dpm++2m", scheduler: "karras", model: "sd-test.safetensors", num_images: 2 });
    expect(q.events.some((e) => e.type === "task.progress" && (e.data as any).id === info.task_id)).toBe(true);
    const stored = q.app.ctx.paths && (await q.api(task.images[0].url));
    expect(stored.status).toBe(200);
  });

  test('old-style "DPM++ 2M Karras" and "Euler a" names work; hires fix maps to our second pass', async () => {
    const res = await post("txt2img", { prompt: "x", steps: 2, width: 64, height: 64, sampler_name: "DPM++ 2M Karras", seed: 1, enable_hr: true, hr_scale: 2, hr_upscaler: "Latent", hr_second_pass_steps: 1, denoising_strength: 0.5 });
    const info = expectImagesResponse(await res.json(), 1);
    const task = (await (await q.api(`/api/tasks/${info.task_id}`)).json()) as any;
    expect(task.request).toMatchObject({ sampler: "dpm++2m", scheduler: "karras", hires: { scale: 2, upscaler: "Latent", steps: 1, denoising_strength: 0.5 } });
    const euler = expectImagesResponse(await (await post("txt2img", { prompt: "x", steps: 1, width: 64, height: 64, sampler_name: "Euler a" })).json(), 1);
    expect(euler.sampler_name).toBe("Euler a");
  });

  test("send_images false answers no images (the task still ran and was saved)", async () => {
    const body = (await (await post("txt2img", { prompt: "x", steps: 1, width: 64, height: 64, send_images: false })).json()) as any;
    expect(body.images).toEqual([]);
    expect(JSON.parse(body.info).state).toBe("succeeded");
  });

  test("errors in A1111's shapes: unknown sampler 404, unknown model 404, invalid field 422 naming A1111's field, bad JSON 422", async () => {
    let res = await post("txt2img", { prompt: "x", sampler_name: "Nope 3000" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "HTTPException", detail: "Sampler not found", body: "", errors: "404: Sampler not found" });
    res = await post("txt2img", { prompt: "x", override_settings: { sd_model_checkpoint: "missing.safetensors" } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: "HTTPException", detail: "Model not found" });
    res = await post("txt2img", { prompt: "x", width: 100 });
    expect(res.status).toBe(422);
    let body = (await res.json()) as any;
    expect(body.error).toBe("RequestValidationError");
    expect(body.detail[0].loc).toEqual(["body", "width"]);
    expect(body.detail[0].msg).toContain("multiple of 64");
    res = await post("txt2img", { prompt: "x", steps: "many" });
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).detail[0].loc).toEqual(["body", "steps"]);
    res = await post("txt2img", { prompt: "x", batch_size: 9, width: 64, height: 64 });
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).detail[0].loc).toEqual(["body", "batch_size"]);
    res = await q.api("/sdapi/v1/txt2img", { method: "POST", body: "{not json", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(422);
    body = await res.json();
    expect(body).toMatchObject({ error: "RequestValidationError", detail: [{ loc: ["body"], type: "json_invalid" }] });
    res = await q.api("/sdapi/v1/no-such-route");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: "Not Found" });
  });

  test("the same-origin rule applies: a foreign page cannot POST, a script (no Origin) can", async () => {
    const res = await q.api("/sdapi/v1/txt2img", { method: "POST", body: JSON.stringify({ prompt: "x" }), headers: { "content-type": "application/json", origin: "http://evil.example" } });
    expect(res.status).toBe(403);
    const host = await fetch(new URL("/sdapi/v1/samplers", q.url), { headers: { host: "evil.example" } });
    expect(host.status).toBe(403);
  });
});

describe("img2img", () => {
  test("init_images + mask + denoising_strength → an inpainting task; parameters leave out the images", async () => {
    const init = b64png(png(64, 64));
    const res = await post("img2img", { prompt: "paint", init_images: [init], mask: dataUrl(png(64, 64)), denoising_strength: 0.4, inpainting_fill: 0, steps: 2, width: 64, height: 64, seed: 3 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    const info = expectImagesResponse(body, 1);
    expect(body.parameters.init_images).toBeNull();
    expect(body.parameters.mask).toBeNull();
    expect(info.denoising_strength).toBe(0.4);
    expect(info.notes.join(" ")).toContain("inpainting_fill 0 is treated as 1");
    const task = (await (await q.api(`/api/tasks/${info.task_id}?images=1`)).json()) as any;
    expect(task.request.strength).toBe(0.4);
    expect(task.request.init_image).toBe(init);
    expect(typeof task.request.mask).toBe("string");
  });

  test("missing init_images is a 422; an image that is not one is a 422 on init_images", async () => {
    let res = await post("img2img", { prompt: "x" });
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).detail[0].loc).toEqual(["body", "init_images"]);
    res = await post("img2img", { prompt: "x", init_images: ["bm90IGFuIGltYWdl"], width: 64, height: 64 });
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).detail[0].loc).toEqual(["body", "init_images", 0]);
  });
});

describe("progress, interrupt, skip and the queue", () => {
  test("a paused queue holds an API request; progress reports it waiting; resume finishes it", async () => {
    await q.api("/api/queue", { method: "PATCH", json: { paused: true } });
    const pending = post("txt2img", { prompt: "waits", steps: 2, width: 64, height: 64 });
    const queued = await until("the API task is queued", async () => {
      const list = (await (await q.api("/api/tasks")).json()) as any;
      return list.tasks.find((t: any) => t.state === "queued" && t.request.prompt === "waits");
    });
    const waiting = await get("progress");
    expect(waiting.body).toMatchObject({ progress: 0, state: { job_count: 1 }, current_image: null });
    await q.api("/api/queue", { method: "PATCH", json: { paused: false } });
    const res = await pending;
    expect(res.status).toBe(200);
    expect(JSON.parse(((await res.json()) as any).info).task_id).toBe(queued.id);
  });

  test("progress while running has A1111's fields; interrupt stops the task and the request answers", async () => {
    // A slow task: many steps on the stand-in.
    const pending = post("txt2img", { prompt: "slow", steps: 100, width: 64, height: 64 });
    const running = await until("running with a sampling step", async () => {
      const p = await get("progress");
      return p.body.state.sampling_step > 0 && p.body;
    });
    expect(Object.keys(running).sort()).toEqual(["current_image", "current_task", "eta_relative", "progress", "state", "textinfo"]);
    expect(Object.keys(running.state).sort()).toEqual(["interrupted", "job", "job_count", "job_no", "job_timestamp", "sampling_step", "sampling_steps", "skipped", "stopping_generation"]);
    expect(running.state.sampling_steps).toBe(100);
    expect(running.progress).toBeGreaterThan(0);
    expect(running.progress).toBeLessThan(1);
    expect(running.current_image).toBeNull();
    const stop = await q.api("/sdapi/v1/interrupt", { method: "POST" });
    expect(stop.status).toBe(200);
    expect(await stop.json()).toEqual({});
    const res = await pending;
    expect(res.status).toBe(200);
    const info = JSON.parse(((await res.json()) as any).info);
    expect(info.state).toBe("cancelled");
    await waitState(q, info.task_id, ["cancelled"]);
    const skip = await q.api("/sdapi/v1/skip", { method: "POST" });
    expect(skip.status).toBe(200);
  });
});

describe("lists and options", () => {
  test("sd-models: title with the short hash once known, model_name, hash, sha256, filename", async () => {
    const { body } = await until("hashes known", async () => {
      const r = await get("sd-models");
      return r.body.every((m: any) => m.sha256) && r;
    });
    const sd = body.find((m: any) => m.model_name === "sd-test");
    expect(Object.keys(sd).sort()).toEqual(["config", "filename", "hash", "model_name", "sha256", "title"]);
    expect(sd.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sd.hash).toBe(sd.sha256.slice(0, 10));
    expect(sd.title).toBe(`sd-test.safetensors [${sd.hash}]`);
    expect(existsSync(sd.filename)).toBe(true);
  });

  test("samplers, schedulers, loras, upscalers, sd-vae, memory in A1111's shapes", async () => {
    const samplers = (await get("samplers")).body;
    expect(samplers).toContainEqual({ name: "DPM++ 2M", aliases: ["dpm++2m"], options: {} });
    expect(samplers).toContainEqual({ name: "Euler a", aliases: ["euler_a"], options: {} });
    const schedulers = (await get("schedulers")).body;
    expect(schedulers[0]).toEqual({ name: "automatic", label: "Automatic", aliases: null, default_rho: -1, need_inner_model: false });
    expect(schedulers).toContainEqual({ name: "karras", label: "Karras", aliases: null, default_rho: 7, need_inner_model: false });
    expect((await get("loras")).body).toEqual([{ name: "detail", alias: "detail", path: expect.stringContaining("detail.safetensors"), metadata: {} }]);
    const upscalers = (await get("upscalers")).body;
    expect(upscalers.map((u: any) => u.name)).toContain("Latent");
    expect(Object.keys(upscalers[0]).sort()).toEqual(["model_name", "model_path", "model_url", "name", "scale"]);
    expect((await get("sd-vae")).body).toEqual([]);
    const memory = (await get("memory")).body;
    expect(memory.ram.used).toBeGreaterThan(0);
    expect(memory.ram.total).toBeGreaterThan(memory.ram.used);
    expect(typeof memory.cuda.error).toBe("string");
    expect((await q.api("/sdapi/v1/refresh-checkpoints", { method: "POST" })).status).toBe(200);
  });

  test("options: sd_model_checkpoint switches the model API requests use; an unknown one is A1111's RuntimeError body (as a 400)", async () => {
    let res = await post("options", { sd_model_checkpoint: "other.safetensors", CLIP_stop_at_last_layers: 2 });
    expect(res.status).toBe(200);
    expect(await res.json()).toBeNull();
    const opts = (await get("options")).body;
    expect(opts.sd_model_checkpoint).toStartWith("other.safetensors");
    expect(opts.CLIP_stop_at_last_layers).toBe(2);
    const info = expectImagesResponse(await (await post("txt2img", { prompt: "x", steps: 1, width: 64, height: 64 })).json(), 1);
    expect(info.sd_model_name).toBe("other");
    res = await post("options", { sd_model_checkpoint: "nope.safetensors" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "RuntimeError", detail: "", body: "", errors: "model 'nope.safetensors' not found" });
    await post("options", { sd_model_checkpoint: "sd-test.safetensors" });
  });

  test("png-info reads the infotext of a picture we made; a non-image is A1111's 'Invalid encoded image' (as a 400)", async () => {
    const body = (await (await post("txt2img", { prompt: "read me", negative_prompt: "nope", steps: 2, width: 64, height: 64, seed: 9, sampler_name: "Euler" })).json()) as any;
    const res = await post("png-info", { image: `data:image/png;base64,${body.images[0]}` });
    expect(res.status).toBe(200);
    const info = (await res.json()) as any;
    expect(info.info).toStartWith("read me\nNegative prompt: nope\nSteps: 2, Sampler: Euler");
    expect(info.parameters).toMatchObject({ Prompt: "read me", "Negative prompt": "nope", Steps: "2", Sampler: "Euler", Seed: "9" });
    expect(info.items).toEqual({});
    const bad = await post("png-info", { image: "aGVsbG8gd29ybGQ=" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "HTTPException", detail: "Invalid encoded image", body: "", errors: "400: Invalid encoded image" });
  });
});

describe("keep API pictures", () => {
  test("off: the task runs in memory only (incognito), nothing is written to outputs/; on again: saved", async () => {
    expect((await q.api("/api/config", { method: "PATCH", json: { api: { keep_pictures: false } } })).status).toBe(200);
    const info = expectImagesResponse(await (await post("txt2img", { prompt: "not kept", steps: 1, width: 64, height: 64 })).json(), 1);
    const task = (await (await q.api(`/api/tasks/${info.task_id}`)).json()) as any;
    expect(task.incognito).toBe(true);
    expect(q.app.ctx.paths && (await import("node:fs")).readdirSync(q.app.ctx.paths.outputs, { recursive: true }).join(" ")).not.toContain(task.images[0].id);
    expect((await q.api("/api/config", { method: "PATCH", json: { api: { keep_pictures: true } } })).status).toBe(200);
    const kept = expectImagesResponse(await (await post("txt2img", { prompt: "kept", steps: 1, width: 64, height: 64 })).json(), 1);
    expect(((await (await q.api(`/api/tasks/${kept.task_id}`)).json()) as any).incognito).toBe(false);
  });
});

describe("start-up lists clients read", () => {
  test("scripts, embeddings, face-restorers, prompt-styles, latent-upscale-modes, /internal/ping", async () => {
    expect((await get("scripts")).body).toEqual({ txt2img: [], img2img: ["sd upscale"] });
    expect((await get("embeddings")).body).toEqual({ loaded: {}, skipped: {} });
    expect((await get("face-restorers")).body).toEqual([]);
    expect((await get("prompt-styles")).body).toEqual([]);
    expect((await get("latent-upscale-modes")).body).toContainEqual({ name: "Latent" });
    const ping = await q.api("/internal/ping");
    expect(ping.status).toBe(200);
    expect(await ping.json()).toEqual({});
  });
});

describe("clients that send every field", () => {
  test("a webuiapi-style txt2img payload (None as null, fields we do not know) is accepted", async () => {
    const payload = {
      enable_hr: false, denoising_strength: 0.7, firstphase_width: 0, firstphase_height: 0, hr_scale: 2, hr_upscaler: "Latent", hr_second_pass_steps: 0, hr_resize_x: 0, hr_resize_y: 0,
      hr_checkpoint_name: null, hr_sampler_name: null, hr_prompt: "", hr_negative_prompt: "", prompt: "webuiapi", styles: [], seed: -1, subseed: -1, subseed_strength: 0.0,
      seed_resize_from_h: 0, seed_resize_from_w: 0, sampler_name: "Euler a", scheduler: null, batch_size: 1, n_iter: 1, steps: 2, cfg_scale: 7.0, width: 64, height: 64,
      restore_faces: false, tiling: false, do_not_save_samples: false, do_not_save_grid: false, negative_prompt: "", eta: 1.0, s_min_uncond: 0, s_churn: 0, s_tmax: 0, s_tmin: 0, s_noise: 1,
      override_settings: {}, override_settings_restore_afterwards: true, script_args: [], sampler_index: "Euler a", script_name: null, send_images: true, save_images: false,
      alwayson_scripts: {}, refiner_checkpoint: null, refiner_switch_at: null, infotext: null,
    };
    const res = await post("txt2img", payload);
    expect(res.status).toBe(200);
    expect(JSON.parse(((await res.json()) as any).info).sampler_name).toBe("Euler a");
  });
});

describe("waiting for a picture", () => {
  test("a waiting request lifts the server's idle limit (Bun's server.timeout(req, 0)), for A1111 and OpenAI routes", async () => {
    const lifted: number[] = [];
    const server = { requestIP: () => ({ address: "127.0.0.1" }), timeout: (_req: Request, seconds: number) => lifted.push(seconds) };
    const call = (path: string, body: object) => q.app.app.request(`http://127.0.0.1${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }, server);
    expect((await call("/sdapi/v1/txt2img", { prompt: "x", steps: 1, width: 64, height: 64 })).status).toBe(200);
    expect((await call("/v1/images/generations", { prompt: "x", size: "64x64", steps: 1 })).status).toBe(200);
    expect(lifted).toEqual([0, 0]);
  });
});
