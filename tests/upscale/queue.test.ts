/**
 * Upscaling through the real app on the stand-in engine build (sd-server +
 * sd-cli): POST /api/upscale on an output picture and on an upload, the
 * factor against the model's scale (x4 ×4, x4 ×2 = pass + box halving,
 * x2 ×4 = two repeats, seen in the argv sd-cli got), the `upscale` post-step
 * of an image task (original kept, upscaled copy added), metadata read back
 * from the saved files, a build without sd-cli (`upscaler_unavailable`),
 * a missing model (400), and cancel killing sd-cli.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pngSize, readPngText } from "../../pictures/metadata/png";
import { readImageMetadata } from "../../pictures/metadata/read";
import { standin, startQueueApp, taskState, tempData, waitState, type QueueApp } from "../queue/harness";
import { standinBuild } from "../standin/pack";
import { writeSafetensors } from "../models/fixtures";
import { FAST, waitFor } from "../standin/fixtures";
import { gradientPng, writeEsrgan } from "./fixtures";
import { encodeWebp } from "../../pictures/webp-encode";
import { pngToRgba } from "../../pictures/convert";

setDefaultTimeout(90_000);
const request = { prompt: "a lighthouse", model: "sd-test.safetensors", seed: 11, steps: 2, width: 64, height: 64 };

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

async function imageBytes(q: QueueApp, id: string): Promise<Uint8Array> {
  return new Uint8Array(await (await q.api(`/api/images/${id}`)).arrayBuffer());
}

describe("with sd-cli beside sd-server", () => {
  const data = tempData("ed-upscale-");
  let q: QueueApp;
  let buildDir = "";
  let sourceId = "";
  beforeAll(async () => {
    writeEsrgan(join(data.dir, "models", "realesrgan", "RealESRGAN_x4plus.safetensors"), 4);
    writeEsrgan(join(data.dir, "models", "realesrgan", "x2.safetensors"), 2);
    const build = standin(data.dir);
    buildDir = build.dir;
    q = await startQueueApp(data.dir, build);
    const res = await q.api("/api/tasks", { method: "POST", json: request });
    const done = await waitState(q, (await json<{ id: string }>(res)).id, ["succeeded", "failed"]);
    expect(done.state).toBe("succeeded");
    sourceId = done.images[0]!.id;
  });
  afterAll(async () => {
    await q.stop();
    data.remove();
  });

  const cliRuns = () => readFileSync(join(buildDir, "cli-argv.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]);

  async function upscale(body: Record<string, unknown>) {
    const res = await q.api("/api/upscale", { method: "POST", json: body });
    expect(res.status).toBe(202);
    return waitState(q, (await json<{ id: string }>(res)).id, ["succeeded", "failed", "cancelled"]);
  }

  test("x4 model ×4: a new picture 4× the size, metadata saying so, the source's settings kept", async () => {
    const task = await upscale({ image_id: sourceId, factor: 4, model: "RealESRGAN_x4plus.safetensors" });
    expect(task.state).toBe("succeeded");
    expect(task.images).toHaveLength(1);
    expect(task.images[0]!.id).not.toBe(sourceId);
    const bytes = await imageBytes(q, task.images[0]!.id);
    expect(pngSize(bytes)).toEqual({ width: 256, height: 256 });
    const text = readPngText(bytes);
    expect(text.Description).toMatch(/^Upscaled ×4 with RealESRGAN_x4plus from .+\.png$/);
    expect(text.parameters).toContain("Postprocess upscale by: 4, Postprocess upscaler: RealESRGAN_x4plus");
    const meta = readImageMetadata(bytes);
    expect(meta.settings.prompt).toBe("a lighthouse");
    expect(meta.settings.seed).toBe(11);
    const json = JSON.parse(text["easy-diffusion"]!) as { upscaled: { factor: number; from_size: string }; upscale_of?: unknown };
    expect(json.upscaled).toMatchObject({ factor: 4, from_size: "64x64" });
    expect(json.upscale_of).toBeUndefined();
    expect(cliRuns().at(-1)).not.toContain("--upscale-repeats");
    // The source picture is untouched.
    expect(pngSize(await imageBytes(q, sourceId))).toEqual({ width: 64, height: 64 });
  });

  test("x4 model ×2: one pass, then halved → 2× the size", async () => {
    const task = await upscale({ image_id: sourceId, factor: 2, model: "RealESRGAN_x4plus.safetensors" });
    expect(task.state).toBe("succeeded");
    expect(pngSize(await imageBytes(q, task.images[0]!.id))).toEqual({ width: 128, height: 128 });
  });

  test("x2 model ×4: sd-cli runs two repeats", async () => {
    const task = await upscale({ image_id: sourceId, factor: 4, model: "x2.safetensors" });
    expect(task.state).toBe("succeeded");
    expect(pngSize(await imageBytes(q, task.images[0]!.id))).toEqual({ width: 256, height: 256 });
    const argv = cliRuns().at(-1)!;
    expect(argv.slice(argv.indexOf("--upscale-repeats"), argv.indexOf("--upscale-repeats") + 2)).toEqual(["--upscale-repeats", "2"]);
  });

  test("an uploaded picture (no metadata) is upscaled too", async () => {
    const image = `data:image/png;base64,${Buffer.from(gradientPng(64, 32)).toString("base64")}`;
    const task = await upscale({ image, factor: 2, model: "x2.safetensors" });
    expect(task.state).toBe("succeeded");
    const bytes = await imageBytes(q, task.images[0]!.id);
    expect(pngSize(bytes)).toEqual({ width: 128, height: 64 });
    expect(readPngText(bytes).Description).toBe("Upscaled ×2 with x2 from an uploaded picture");
  });

  test("a WebP picture is decoded here and upscaled (engine builds may not read WebP)", async () => {
    const png = gradientPng(48, 32);
    const rgba = pngToRgba(png);
    const webp = await encodeWebp(rgba.data, rgba.width, rgba.height, 90);
    const task = await upscale({ image: `data:image/webp;base64,${Buffer.from(webp).toString("base64")}`, factor: 2, model: "x2.safetensors" });
    expect(task.error).toBeUndefined();
    expect(task.state).toBe("succeeded");
    expect(pngSize(await imageBytes(q, task.images[0]!.id))).toEqual({ width: 96, height: 64 });
    const broken = await q.api("/api/upscale", { method: "POST", json: { image: `data:image/webp;base64,${Buffer.from(webp.slice(0, 40)).toString("base64")}`, factor: 2, model: "x2.safetensors" } });
    expect(broken.status).toBe(400);
    expect((await json<{ error: { message: string } }>(broken)).error.message).toContain("not a PNG, JPEG or WebP picture");
  });

  test("a model that is not in models/realesrgan is a 400; a bad factor too", async () => {
    const missing = await q.api("/api/upscale", { method: "POST", json: { image_id: sourceId, factor: 4, model: "nope.safetensors" } });
    expect(missing.status).toBe(400);
    expect((await json<{ error: { code: string } }>(missing)).error.code).toBe("model_not_found");
    const factor = await q.api("/api/upscale", { method: "POST", json: { image_id: sourceId, factor: 3, model: "x2.safetensors" } });
    expect(factor.status).toBe(400);
    const gone = await q.api("/api/upscale", { method: "POST", json: { image_id: "inope", factor: 2, model: "x2.safetensors" } });
    expect(gone.status).toBe(404);
  });

  test("post-step: each generated picture is kept and an upscaled copy is added", async () => {
    const res = await q.api("/api/tasks", { method: "POST", json: { ...request, num_images: 2, upscale: { factor: 2, model: "RealESRGAN_x4plus.safetensors" } } });
    expect(res.status).toBe(202);
    const task = await waitState(q, (await json<{ id: string }>(res)).id, ["succeeded", "failed"]);
    expect(task.state).toBe("succeeded");
    expect(task.images).toHaveLength(4);
    const sizes = await Promise.all(task.images.map(async (i) => pngSize(await imageBytes(q, i.id)).width));
    expect(sizes.sort()).toEqual([128, 128, 64, 64]);
    const upscaled = [];
    for (const i of task.images) {
      const text = readPngText(await imageBytes(q, i.id));
      if (text.Description) upscaled.push({ seed: i.seed, note: text.Description });
    }
    expect(upscaled.map((u) => u.seed).sort()).toEqual([11, 12]);
    for (const u of upscaled) expect(u.note).toMatch(/^Upscaled ×2 with RealESRGAN_x4plus from /);
    const bad = await q.api("/api/tasks", { method: "POST", json: { ...request, upscale: { factor: 2, model: "nope.safetensors" } } });
    expect(bad.status).toBe(400);
  });

  test("post-step with a file that is not ESRGAN: sd-cli exits 0 unchanged, the task fails upscaler_failed, the original is kept", async () => {
    writeSafetensors(join(data.dir, "models", "realesrgan", "broken.safetensors"), [{ name: "model.diffusion_model.x.weight", shape: [4, 4], dtype: "F32" }]);
    const res = await q.api("/api/tasks", { method: "POST", json: { ...request, upscale: { factor: 4, model: "broken.safetensors" } } });
    const task = await waitState(q, (await json<{ id: string }>(res)).id, ["succeeded", "failed"]);
    expect(task.state).toBe("failed");
    expect(task.error?.code).toBe("upscaler_failed");
    expect(task.error?.message).toContain("new_upscaler_ctx failed");
    expect(task.images).toHaveLength(1);
    expect(pngSize(await imageBytes(q, task.images[0]!.id))).toEqual({ width: 64, height: 64 });
  });
});

describe("without sd-cli, and cancel", () => {
  const data = tempData("ed-upscale-nocli-");
  let q: QueueApp;
  afterAll(async () => {
    await q?.stop();
    data.remove();
  });

  test("a build without sd-cli fails the task with upscaler_unavailable", async () => {
    writeEsrgan(join(data.dir, "models", "realesrgan", "x4.safetensors"), 4);
    const build = standin(data.dir);
    // A build imported from an older release has no sd-cli.
    standinBuild(build.dir, { ...FAST }, { cli: false });
    rmSync(join(build.dir, "sd-cli"));
    q = await startQueueApp(data.dir, build);
    const image = `data:image/png;base64,${Buffer.from(gradientPng()).toString("base64")}`;
    const res = await q.api("/api/upscale", { method: "POST", json: { image, factor: 4, model: "x4.safetensors" } });
    const task = await waitState(q, (await json<{ id: string }>(res)).id, ["succeeded", "failed"]);
    expect(task.state).toBe("failed");
    expect(task.error?.code).toBe("upscaler_unavailable");
    await q.stop();
    q = undefined as unknown as QueueApp;
  });

  test("cancel kills sd-cli; the task ends cancelled with no picture", async () => {
    const build = standin(data.dir, { stepMs: 60_000 });
    q = await startQueueApp(data.dir, build);
    const image = `data:image/png;base64,${Buffer.from(gradientPng()).toString("base64")}`;
    const res = await q.api("/api/upscale", { method: "POST", json: { image, factor: 4, model: "x4.safetensors" } });
    const id = (await json<{ id: string }>(res)).id;
    await waitState(q, id, ["running"]);
    // sd-cli is started (its argv is logged) before the cancel.
    await waitFor("sd-cli started", () => (Bun.file(join(build.dir, "cli-argv.jsonl")).size > 0 ? true : false), 20_000);
    const cancel = await q.api(`/api/tasks/${id}/cancel`, { method: "POST" });
    expect(cancel.status).toBe(200);
    const task = await waitState(q, id, ["cancelled", "failed", "succeeded"]);
    expect(task.state).toBe("cancelled");
    expect((await taskState(q, id)).images).toHaveLength(0);
  });
});

describe("out of GPU memory", () => {
  const data = tempData("ed-upscale-oom-");
  let q: QueueApp | undefined;
  afterAll(async () => {
    await q?.stop();
    data.remove();
  });

  /** An app whose sd-cli has no GPU memory for its first `times` runs (0: never any). */
  async function appWithOom(times: number) {
    await q?.stop();
    writeEsrgan(join(data.dir, "models", "realesrgan", "x4.safetensors"), 4);
    const build = standin(data.dir, { fault: "upscale-oom", faultTimes: times, counterFile: join(data.dir, `oom-count-${times}`) });
    q = await startQueueApp(data.dir, build);
    // A picture made first: the engine is up and holds its model, as when a user upscales what they just made.
    const res = await q.api("/api/tasks", { method: "POST", json: request });
    const made = await waitState(q, (await json<{ id: string }>(res)).id, ["succeeded", "failed"]);
    expect(made.state).toBe("succeeded");
    return { app: q, image: made.images[0]!.id };
  }

  test("with the engine holding the GPU: it is stopped and the upscale tried once more, which succeeds", async () => {
    const { app, image } = await appWithOom(1);
    expect(app.engine.status().state).toBe("ready");
    const res = await app.api("/api/upscale", { method: "POST", json: { image_id: image, factor: 4, model: "x4.safetensors" } });
    const task = await waitState(app, (await json<{ id: string }>(res)).id, ["succeeded", "failed"]);
    expect(task.error).toBeUndefined();
    expect(task.state).toBe("succeeded");
    expect(pngSize(await imageBytes(app, task.images[0]!.id))).toEqual({ width: 256, height: 256 });
    expect(app.engine.status().state).toBe("stopped");
    // The next image task starts the engine again.
    const next = await app.api("/api/tasks", { method: "POST", json: { ...request, seed: 12 } });
    expect((await waitState(app, (await json<{ id: string }>(next)).id, ["succeeded", "failed"])).state).toBe("succeeded");
  });

  test("still no room with the engine stopped: upscaler_out_of_memory saying what to try, the source picture untouched", async () => {
    const { app, image } = await appWithOom(0);
    const before = await imageBytes(app, image);
    const res = await app.api("/api/upscale", { method: "POST", json: { image_id: image, factor: 4, model: "x4.safetensors" } });
    const task = await waitState(app, (await json<{ id: string }>(res)).id, ["succeeded", "failed"]);
    expect(task.state).toBe("failed");
    expect(task.error?.code).toBe("upscaler_out_of_memory");
    expect(task.error?.message).toContain("the GPU ran out of memory for the upscaler");
    expect(task.error?.message).toContain("try ×2, a smaller picture, or a smaller upscaler model");
    expect(await imageBytes(app, image)).toEqual(before);
  });
});
