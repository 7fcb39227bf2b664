/**
 * The stand-in's vid_gen as upstream's sd-server does it at 97d2990 (tests/standin/video.ts names the
 * sources): modes by model, the img_gen refusal with a Wan model, output formats by build, 4n+1 frames,
 * an MJPG AVI in media_io.cpp's layout that the app's reader (video/avi.ts) and converter
 * (video/convert.ts) turn into a playable animated WebP.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { freePort } from "../../engine/process/port";
import { parseProgress } from "../../engine/process/progress";
import { animatedWebpInfo } from "../../pictures/animated-webp";
import { parseAvi } from "../../video/avi";
import { aviToAnimatedWebp } from "../../video/convert";
import { firstVp8Frame, webmPoster } from "../../pictures/webm-frame";
import { pngSize } from "../../pictures/metadata/png";
import { FAST, tempDir, waitFor } from "../standin/fixtures";
import { videoModels } from "./fixtures";

setDefaultTimeout(60_000);
const SOURCE = join(import.meta.dir, "../standin/sd-server.ts");
const tmp = tempDir("ed-video-standin-");
const { models } = videoModels(tmp.dir);
const procs: ReturnType<typeof Bun.spawn>[] = [];
afterAll(() => {
  for (const p of procs) p.kill();
  tmp.cleanup();
});

async function serve(args: string[], env: Record<string, string> = {}) {
  const port = await freePort();
  const vars = { STANDIN_START_DELAY_MS: String(FAST.startDelayMs), STANDIN_STEP_MS: "5", STANDIN_LOAD_MS: "1", STANDIN_DECODE_MS: "5", ...env };
  const proc = Bun.spawn(["bun", SOURCE, ...args, "--lora-model-dir", join(models, "lora"), "--listen-port", String(port)], {
    env: { ...process.env, ...vars },
    stdout: "pipe",
    stderr: "pipe",
  });
  procs.push(proc);
  let out = "";
  (async () => {
    for await (const c of proc.stdout as ReadableStream<Uint8Array>) out += new TextDecoder().decode(c);
  })();
  const base = `http://127.0.0.1:${port}`;
  await waitFor("the stand-in to listen", () => fetch(base).then((r) => r.ok).catch(() => false));
  const post = async (path: string, body: unknown) => {
    const r = await fetch(base + path, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });
    return { status: r.status, json: (await r.json()) as Record<string, any> };
  };
  const done = (id: string) =>
    waitFor(`job ${id}`, async () => {
      const job = (await (await fetch(`${base}/sdcpp/v1/jobs/${id}`)).json()) as Record<string, any>;
      return ["completed", "failed", "cancelled"].includes(job.status) ? job : undefined;
    });
  return { base, post, done, stdout: () => out, caps: async () => (await (await fetch(`${base}/sdcpp/v1/capabilities`)).json()) as Record<string, any> };
}

const wan = ["--diffusion-model", join(models, "diffusion_models", "wan2.1_t2v_1.3B_fp16.safetensors"), "--vae", join(models, "vae", "wan_2.1_vae.safetensors")];

describe("a Wan model on a build without WebP/WebM", () => {
  let s: Awaited<ReturnType<typeof serve>>;
  test("capabilities: vid_gen only, avi only, vid_gen defaults and features", async () => {
    s = await serve(wan);
    const caps = await s.caps();
    expect(caps.supported_modes).toEqual(["vid_gen"]);
    expect(caps.current_mode).toBe("vid_gen");
    expect(caps.output_formats_by_mode).toEqual({ vid_gen: ["avi"] });
    expect(caps.output_formats).toEqual(["avi"]);
    expect(caps.defaults_by_mode.vid_gen).toMatchObject({ video_frames: 1, fps: 24, output_format: "avi", moe_boundary: 0.875 });
    expect(caps.defaults_by_mode.img_gen).toBeUndefined();
    expect(caps.features_by_mode.vid_gen).toMatchObject({ end_image: true, control_frames: true, high_noise_sample_params: true });
  });

  test("img_gen is refused: 400 loaded model does not support img_gen", async () => {
    const r = await s.post("/sdcpp/v1/img_gen", { prompt: "a cat" });
    expect(r).toEqual({ status: 400, json: { error: "loaded model does not support img_gen" } });
  });

  test("vid_gen without output_format defaults to webm: 400 naming the formats this build has", async () => {
    const r = await s.post("/sdcpp/v1/vid_gen", { prompt: "a cat", video_frames: 5 });
    expect(r).toEqual({ status: 400, json: { error: "invalid output_format, must be one of [avi]" } });
    expect((await s.post("/sdcpp/v1/vid_gen", { prompt: "a cat", output_format: "webp" })).status).toBe(400);
    expect((await s.post("/sdcpp/v1/vid_gen", "")).json).toEqual({ error: "empty body" });
    expect((await s.post("/sdcpp/v1/vid_gen", { prompt: "x", output_format: "avi", video_frames: 0 })).json).toEqual({ error: "invalid generation parameters" });
    expect((await s.post("/sdcpp/v1/vid_gen", { prompt: "x", output_format: "avi", fps: -1 })).json).toEqual({ error: "invalid generation parameters" });
  });

  test("an avi job: 6 frames asked → 5 made (4n+1), sizes aligned to 16, upstream's lines, an MJPG AVI → animated WebP", async () => {
    const sub = await s.post("/sdcpp/v1/vid_gen", { prompt: "a cat", video_frames: 6, fps: 8, width: 72, height: 64, seed: 7, output_format: "avi" });
    expect(sub.status).toBe(202);
    expect(sub.json).toMatchObject({ kind: "vid_gen", status: "queued", poll_url: `/sdcpp/v1/jobs/${sub.json.id}` });
    const job = await s.done(sub.json.id);
    expect(job.status).toBe("completed");
    expect(job.kind).toBe("vid_gen");
    expect(job.result).toMatchObject({ output_format: "avi", mime_type: "video/x-msvideo", fps: 8, frame_count: 5 });
    const out = s.stdout();
    expect(out).toContain("align generation request up 72x64 to 80x64 (multiple=16)");
    expect(out).toContain("align video frames from 6 to 5 for Wan 2.x");
    expect(out).toContain("generate_video 80x64x5");
    expect(out).toMatch(/generate_video completed in [\d.]+s/);
    // The app's progress parser reads the video lines: sampling steps, then the decode, then done.
    expect(parseProgress("[INFO ] stable-diffusion.cpp:7155 - generating latent video completed, taking 0.11s")).toEqual({ kind: "decoding" });
    expect(parseProgress("[INFO ] stable-diffusion.cpp:7215 - generate_video completed in 0.16s")).toEqual({ kind: "done", seconds: 0.16 });

    const avi = Buffer.from(job.result.b64_json, "base64");
    const parsed = parseAvi(avi);
    expect(parsed).toMatchObject({ width: 80, height: 64, fps: 8 });
    expect(parsed.frames.length).toBe(5);
    const t0 = performance.now();
    const converted = await aviToAnimatedWebp(avi, { quality: 80 });
    const ms = performance.now() - t0;
    expect(animatedWebpInfo(converted.webp)).toMatchObject({ width: 80, height: 64, frames: 5, durationMs: 625, loops: 0 });
    expect(converted.poster.subarray(1, 4)).toEqual(new TextEncoder().encode("PNG"));
    console.log(`5 frames 80×64: AVI ${avi.length} B → animated WebP ${converted.webp.length} B in ${ms.toFixed(0)} ms`);
  });
});

describe("an SD 1.5 model", () => {
  test("with a motion module (AnimateDiff): both modes; vid_gen frames as asked, capped at 32", async () => {
    const s = await serve(["-m", join(models, "stable-diffusion", "sd15.safetensors"), "--motion-module", join(models, "animatediff", "mm_sd15_v3.safetensors")]);
    expect((await s.caps()).supported_modes).toEqual(["img_gen", "vid_gen"]);
    const sub = await s.post("/sdcpp/v1/vid_gen", { prompt: "a cat", video_frames: 40, width: 128, height: 128, output_format: "avi", sample_params: { sample_steps: 2 } });
    const job = await s.done(sub.json.id);
    expect(job.result.frame_count).toBe(32);
    expect(s.stdout()).toContain("AnimateDiff dispatch: 40 frames, 128x128");
    expect(s.stdout()).toContain("capping to 32");
  });

  test("without one: vid_gen is refused (loaded model does not support vid_gen)", async () => {
    const s = await serve(["-m", join(models, "stable-diffusion", "sd15.safetensors")]);
    expect((await s.caps()).supported_modes).toEqual(["img_gen"]);
    expect(await s.post("/sdcpp/v1/vid_gen", { prompt: "a cat" })).toEqual({ status: 400, json: { error: "loaded model does not support vid_gen" } });
  });
});

test("a Wan 2.2 A14B set (high-noise model): a high-noise pass, then the low-noise pass", async () => {
  const s = await serve([...wan, "--high-noise-diffusion-model", join(models, "diffusion_models", "wan2.1_t2v_1.3B_fp16.safetensors")], {
    STANDIN_VIDEO_BUILD: "",
  });
  const sub = await s.post("/sdcpp/v1/vid_gen", {
    prompt: "a cat",
    video_frames: 5,
    width: 64,
    height: 64,
    output_format: "avi",
    sample_params: { sample_steps: 6 },
    high_noise_sample_params: { sample_steps: 4 },
  });
  expect((await s.done(sub.json.id)).status).toBe("completed");
  const out = s.stdout();
  expect(out).toMatch(/sampling\(high noise\) completed, taking [\d.]+s/);
  expect(out.indexOf("sampling(high noise) completed")).toBeLessThan(out.indexOf("] stable-diffusion.cpp:7012 - sampling completed"));
  expect(out).toContain("| 4/4 -");
  expect(out).toContain("| 2/2 -");
});

test("a build with WebP and WebM (videoBuild): formats webm, webp, avi; a webp job gives an animated WebP", async () => {
  const s = await serve(wan, { STANDIN_VIDEO_BUILD: "webp,webm" });
  const caps = await s.caps();
  expect(caps.output_formats_by_mode.vid_gen).toEqual(["webm", "webp", "avi"]);
  expect(caps.defaults_by_mode.vid_gen.output_format).toBe("webm");
  const sub = await s.post("/sdcpp/v1/vid_gen", { prompt: "a cat", video_frames: 5, fps: 16, width: 64, height: 64, output_format: "WEBP" });
  const job = await s.done(sub.json.id);
  expect(job.result).toMatchObject({ output_format: "webp", mime_type: "image/webp", frame_count: 5, fps: 16 });
  expect(animatedWebpInfo(Buffer.from(job.result.b64_json, "base64"))).toMatchObject({ width: 64, height: 64, frames: 5, durationMs: 313 });
});

test("a WebM build answers vid_gen webm (its default) with a WebM of VP8 frames whose first frame the app decodes", async () => {
  const s = await serve(wan, { STANDIN_VIDEO_BUILD: "webm" });
  expect((await s.caps()).output_formats_by_mode.vid_gen).toEqual(["webm", "avi"]);
  const sub = await s.post("/sdcpp/v1/vid_gen", { prompt: "a cat", video_frames: 5, fps: 16, width: 64, height: 48 });
  const job = await s.done(sub.json.id);
  expect(job.result).toMatchObject({ output_format: "webm", mime_type: "video/webm", frame_count: 5 });
  const webm = Buffer.from(job.result.b64_json, "base64");
  expect([...webm.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
  expect(firstVp8Frame(webm)!.length).toBeGreaterThan(10);
  expect(pngSize((await webmPoster(webm))!)).toEqual({ width: 64, height: 48 });
  expect(await webmPoster(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x81, 0x00]))).toBeNull();
});
