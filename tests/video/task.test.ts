/**
 * A video task through the real app (HTTP on its socket) with the stand-in engine as a child process:
 * POST /api/videos → queued with the pictures → the engine started with the video set → vid_gen → the
 * AVI the stand-in's build offers converted to an animated WebP → saved with poster, sidecar, XMP and
 * its row, served with Range; the img_gen refusal surfaced as a clear error; submit-time checks.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { animatedWebpInfo } from "../../pictures/animated-webp";
import { pngSize } from "../../pictures/metadata/png";
import { readPictureInfo } from "../../gallery/picture-info";
import { standin, waitState } from "../queue/harness";
import { startVideoApp, videoData, WAN } from "./harness";

setDefaultTimeout(90_000);
const data = videoData();
let q: Awaited<ReturnType<typeof startVideoApp>>;
let buildDir = "";
beforeAll(async () => {
  const build = standin(data.dir);
  buildDir = build.dir;
  q = await startVideoApp(data.dir, build);
});
afterAll(async () => {
  await q.stop();
  data.remove();
});

const post = async (path: string, json: unknown) => {
  const res = await q.api(path, { method: "POST", json });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const video = (over: Record<string, unknown> = {}) => ({ prompt: "a cat walking in the rain", ...WAN, width: 80, height: 64, frames: 6, fps: 8, steps: 3, seed: 5, ...over });
const argv = () => readFileSync(join(buildDir, "argv.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]);

describe("a Wan video on a build that offers only AVI", () => {
  let task: Record<string, any>;
  test("POST /api/videos → 202 with the frames the engine will make (6 → 5)", async () => {
    const r = await post("/api/videos", video());
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ id: expect.any(String), seed: 5, frames: 5 });
    await waitState(q, r.body.id, ["succeeded", "failed"]);
    task = (await (await q.api(`/api/tasks/${r.body.id}`)).json()) as Record<string, any>;
    expect(task.error).toBeUndefined();
    expect(task.state).toBe("succeeded");
  });

  test("the engine ran with the video set: --diffusion-model, --vae, --t5xxl (umt5)", () => {
    const last = argv().at(-1)!;
    expect(last).toContain("--diffusion-model");
    expect(last[last.indexOf("--diffusion-model") + 1]).toEndWith(WAN.model);
    expect(last[last.indexOf("--t5xxl") + 1]).toEndWith(WAN.text_encoders[0]!);
    expect(last[last.indexOf("--vae") + 1]).toEndWith(WAN.vae);
  });

  test("the task view: kind video, its video (converted from AVI), the request as sent", () => {
    expect(task.kind).toBe("video");
    expect(task.videos).toHaveLength(1);
    expect(task.videos[0]).toMatchObject({ format: "webp", mime: "image/webp", width: 80, height: 64, fps: 8, frame_count: 5, duration: 0.625, seed: 5, converted_from: "avi" });
    expect(task.video_request).toMatchObject({ prompt: "a cat walking in the rain", frames: 6, fps: 8, model: WAN.model });
    expect(task.request.video).toMatchObject({ frames: 6, fps: 8 });
  });

  test("progress came from the engine's output: loading, sampling steps, the decode, the conversion; task.video announced", () => {
    const progress = q.events.filter((e) => e.type === "task.progress" && (e.data as any).id === task.id).map((e) => e.data as any);
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(expect.arrayContaining(["sampling", "decoding", "converting"]));
    expect(phases.indexOf("sampling")).toBeLessThan(phases.indexOf("decoding"));
    // The VAE's weights load during the decode (the stand-in prints the real engine's lines): still "decoding".
    const decodingAt = progress.findIndex((p) => p.phase === "decoding");
    expect(progress.slice(decodingAt).map((p) => p.phase)).not.toContain("loading");
    expect(progress.filter((p) => p.phase === "sampling").at(-1)).toMatchObject({ step: 3, steps: 3 });
    expect(progress.filter((p) => p.phase === "converting").at(-1)).toMatchObject({ step: 5, steps: 5 });
    const announced = q.events.find((e) => e.type === "task.video" && (e.data as any).id === task.id);
    expect((announced?.data as any).video.id).toBe(task.videos[0].id);
  });

  test("the file plays: an animated WebP of 5 frames with the request in XMP; Range answered 206; poster PNG; sidecar JSON; listed", async () => {
    const v = task.videos[0];
    const res = await q.api(v.url);
    expect(res.headers.get("content-type")).toBe("image/webp");
    const bytes = new Uint8Array(await res.arrayBuffer());
    const info = animatedWebpInfo(bytes)!;
    expect(info).toMatchObject({ width: 80, height: 64, frames: 5, durationMs: 625, loops: 0 });
    expect(JSON.parse(info.json!)).toMatchObject({ prompt: "a cat walking in the rain", frames: 6, seed: 5 });
    expect(bytes.length).toBe(v.bytes);
    const part = await q.api(v.url, { headers: { range: "bytes=0-11" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 0-11/${bytes.length}`);
    expect(new TextDecoder().decode(await part.arrayBuffer())).toBe("RIFF" + new TextDecoder().decode(bytes.subarray(4, 12)));
    expect((await q.api(v.url, { headers: { range: `bytes=${bytes.length}-` } })).status).toBe(416);
    const poster = new Uint8Array(await (await q.api(v.poster_url)).arrayBuffer());
    expect(new TextDecoder().decode(poster.subarray(1, 4))).toBe("PNG");
    const row = q.hub.store.get(v.id)!;
    expect(row.path!.startsWith(join(data.dir, "outputs"))).toBe(true);
    expect(existsSync(row.poster!)).toBe(true);
    const sidecar = JSON.parse(readFileSync(row.sidecar!, "utf8"));
    expect(sidecar).toMatchObject({ id: v.id, frame_count: 5, fps: 8, format: "webp", request: { prompt: "a cat walking in the rain", model: WAN.model } });
    const list = (await (await q.api("/api/videos?q=rain")).json()) as { videos: any[] };
    expect(list.videos.map((x) => x.id)).toContain(v.id);
    expect(((await (await q.api("/api/videos?q=lighthouse")).json()) as { videos: any[] }).videos).toEqual([]);
    const infoRes = (await (await q.api(`/api/videos/${v.id}/info`)).json()) as Record<string, any>;
    expect(infoRes).toMatchObject({ id: v.id, task_id: task.id, family: "wan2.1-t2v", request: { frames: 6, seed: 5 } });
    expect((await q.api("/api/videos/vnope")).status).toBe(404);
  });

  test("the Gallery's index takes neither the video nor its poster for a picture (a video is indexed from its sidecar)", () => {
    const row = q.hub.store.get(task.videos[0].id)!;
    expect(readPictureInfo(new Uint8Array(readFileSync(row.path!)), row.path)).toBeNull();
    expect(readPictureInfo(new Uint8Array(readFileSync(row.poster!)), row.poster)).toBeNull();
    // The poster's bytes are a plain PNG: only its name marks it.
    expect(readPictureInfo(new Uint8Array(readFileSync(row.poster!)), join(data.dir, "x.png"))).not.toBeNull();
  });

  test("an image task with the video model: fails with engine_refused, saying it makes videos", async () => {
    const r = await post("/api/tasks", { prompt: "a cat", model: WAN.model, vae: WAN.vae, text_encoders: WAN.text_encoders, width: 64, height: 64, steps: 2 });
    expect(r.status).toBe(202);
    const t = await waitState(q, r.body.id, ["succeeded", "failed"]);
    expect(t.state).toBe("failed");
    expect(t.error!.code).toBe("engine_refused");
    expect(t.error!.message).toContain("loaded model does not support img_gen");
    expect(t.error!.message).toContain("Video tab");
  });

  test("image and video sets never share an engine start: an SD 1.5 picture then a video restart it each time", async () => {
    const before = argv().length;
    const img = await post("/api/tasks", { prompt: "a lighthouse", model: "sd-test.safetensors", width: 64, height: 64, steps: 2 });
    expect((await waitState(q, img.body.id, ["succeeded", "failed"])).state).toBe("succeeded");
    const vid = await post("/api/videos", video({ frames: 5 }));
    expect((await waitState(q, vid.body.id, ["succeeded", "failed"])).state).toBe("succeeded");
    const starts = argv().slice(before);
    expect(starts.map((a) => (a.includes("-m") ? "image" : "video"))).toEqual(["image", "video"]);
  });
});

describe("other sets and incognito", () => {
  test("AnimateDiff: the SD 1.5 checkpoint with --motion-module; 8 frames stay 8 (no 4n+1 rule)", async () => {
    const r = await post("/api/videos", { prompt: "a red apple", model: "sd15.safetensors", motion_module: "mm_sd15_v3.safetensors", width: 128, height: 128, frames: 8, fps: 8, steps: 2 });
    expect(r.body).toMatchObject({ frames: 8 });
    const t = await waitState(q, r.body.id, ["succeeded", "failed"]);
    expect(t.state).toBe("succeeded");
    const last = argv().at(-1)!;
    expect(last[last.indexOf("-m") + 1]).toEndWith("sd15.safetensors");
    expect(last[last.indexOf("--motion-module") + 1]).toEndWith("mm_sd15_v3.safetensors");
    const view = (await (await q.api(`/api/tasks/${r.body.id}`)).json()) as { videos: Record<string, any>[] };
    expect(view.videos[0]).toMatchObject({ frame_count: 8, width: 128, height: 128 });
    expect(((await (await q.api(`/api/videos/${view.videos[0]!.id}/info`)).json()) as { family: string }).family).toBe("animatediff");
  });

  test("incognito: the video is served from memory; no file, no row", async () => {
    const r = await post("/api/videos", { ...video({ frames: 5 }), incognito: true });
    expect((await waitState(q, r.body.id, ["succeeded", "failed"])).state).toBe("succeeded");
    const v = ((await (await q.api(`/api/tasks/${r.body.id}`)).json()) as { videos: Record<string, any>[] }).videos[0]!;
    expect(q.hub.store.get(v.id)).toBeNull();
    expect(q.hub.memory.get(v.id)?.record.path).toBeUndefined();
    expect(animatedWebpInfo(new Uint8Array(await (await q.api(v.url)).arrayBuffer()))!.frames).toBe(5);
    expect((await q.api(v.poster_url)).status).toBe(200);
  });
});

describe("submit-time checks (400s naming the field)", () => {
  test.each([
    ["no VAE for Wan", { vae: undefined }, "video_needs_file", "vae"],
    ["no text encoder for Wan", { text_encoders: [] }, "video_needs_file", "text_encoders"],
    ["a clip_vision for text to video", { clip_vision: "clip_vision_h.safetensors" }, "video_needs_file", "clip_vision"],
    ["a picture model", { model: "sd-test.safetensors", vae: undefined, text_encoders: [] }, "not_a_video_model", "model"],
    ["AnimateDiff over 32 frames", { model: "sd15.safetensors", motion_module: "mm_sd15_v3.safetensors", vae: undefined, text_encoders: [], frames: 40, width: 128, height: 128 }, "video_size", "frames"],
    ["AnimateDiff below 128 px", { model: "sd15.safetensors", motion_module: "mm_sd15_v3.safetensors", vae: undefined, text_encoders: [], width: 64, height: 64 }, "video_size", "width"],
    ["a missing model file", { model: "nope.safetensors" }, "model_not_found", "model"],
  ])("%s → %s", async (_what, over, code, field) => {
    const r = await post("/api/videos", video(over));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message).toContain(field);
  });

  test("the schema: sizes in 16-pixel steps, frames within 1–121", async () => {
    expect((await post("/api/videos", video({ width: 72 }))).body.error.message).toContain("multiple of 16");
    expect((await post("/api/videos", video({ frames: 500 }))).status).toBe(400);
  });
});

describe("a build with WebP and WebM", () => {
  const data2 = videoData("ed-video-webm-");
  let q2: Awaited<ReturnType<typeof startVideoApp>>;
  beforeAll(async () => {
    q2 = await startVideoApp(data2.dir, standin(data2.dir, { videoBuild: "webp,webm" }));
  });
  afterAll(async () => {
    await q2.stop();
    data2.remove();
  });
  const run = async (over: Record<string, unknown>) => {
    const res = await q2.api("/api/videos", { method: "POST", json: video(over) });
    const id = ((await res.json()) as { id: string }).id;
    expect((await waitState(q2, id, ["succeeded", "failed"])).state).toBe("succeeded");
    return ((await (await q2.api(`/api/tasks/${id}`)).json()) as { videos: Record<string, any>[] }).videos[0]!;
  };

  test("no wish: WebM, the engine's best, kept as it came, with its first frame as the poster", async () => {
    const v = await run({});
    expect(v).toMatchObject({ format: "webm", mime: "video/webm", frame_count: 5 });
    expect(v.converted_from).toBeUndefined();
    const res = await q2.api(v.url);
    expect(res.headers.get("content-type")).toBe("video/webm");
    expect([...new Uint8Array(await res.arrayBuffer()).subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
    expect(pngSize(new Uint8Array(await (await q2.api(v.poster_url)).arrayBuffer()))).toEqual({ width: 80, height: 64 });
  });

  test("output_format webp: the engine's animated WebP, not converted, our request in its XMP", async () => {
    const v = await run({ output_format: "webp" });
    expect(v).toMatchObject({ format: "webp", frame_count: 5 });
    expect(v.converted_from).toBeUndefined();
    const info = animatedWebpInfo(new Uint8Array(await (await q2.api(v.url)).arrayBuffer()))!;
    expect(info.frames).toBe(5);
    expect(JSON.parse(info.json!)).toMatchObject({ output_format: "webp" });
  });
});
