/**
 * One vid_gen job of the stand-in: upstream's lines (src/stable-diffusion.cpp generate_video and
 * decode_video_outputs at 97d2990), a sampling bar per pass, and the container: an MJPG AVI laid out
 * byte for byte as examples/common/media_io.cpp create_mjpg_avi_from_sd_images_to_vector writes it
 * (JPEG quality clamped to 90 as there). Frames: the seed's gradient, shifted one pixel a frame.
 */
import jpeg from "jpeg-js";
import { renderGradient } from "./png";
import type { GenRequest } from "./request";
import type { LoadedModel, VideoParams } from "./video";

export interface VideoRunDeps {
  log: (level: "INFO" | "WARN" | "ERROR" | "DEBUG", where: string, msg: string) => void;
  /** One sampling bar of `total` steps (the image path's, faults included); an error when it failed. */
  sample: (total: number, faults: boolean) => Promise<{ error: string } | null>;
  decodeMs: number;
  /** The VAE's weights, loaded when the decode starts (mmap: each part loads as it is first used). */
  vaeLoad?: () => Promise<void>;
  /** Builds for output formats other than avi (webp, webm): the stand-in's knob says which it has. */
  encode?: (format: string, frames: Uint8Array[], width: number, height: number, fps: number) => Promise<Uint8Array>;
}

export type VideoOutcome = { video: { bytes: Uint8Array; format: string; fps: number; frameCount: number } } | { error: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (from: number) => ((performance.now() - from) / 1000).toFixed(2);

/** The frames of a job: RGB, the seed's gradient moved one pixel right per frame. */
export function videoFrames(width: number, height: number, seed: number, count: number): Uint8Array[] {
  const base = renderGradient(width, height, seed);
  const frames: Uint8Array[] = [];
  for (let f = 0; f < count; f++) {
    const rgb = new Uint8Array(base.length);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const from = (y * width + ((x - f + width * 32) % width)) * 3;
        rgb.set(base.subarray(from, from + 3), (y * width + x) * 3);
      }
    frames.push(rgb);
  }
  return frames;
}

/** What generate_video says before the conditioning: AnimateDiff's dispatch, or GenerationRequest's alignment warnings. */
export function videoPreamble(r: GenRequest & { video: VideoParams }, model: LoadedModel, log: VideoRunDeps["log"]): void {
  const v = r.video;
  if (model.animatediff) {
    log("INFO", "stable-diffusion.cpp:6861", `AnimateDiff dispatch: ${v.requestedFrames} frames, ${r.width}x${r.height}`);
    if (v.requestedFrames > 32) log("WARN", "stable-diffusion.cpp:6810", "AnimateDiff motion modules have a 32-frame positional-encoding context; capping to 32");
    log("INFO", "stable-diffusion.cpp:5628", `generate_image ${r.width}x${r.height}`);
    return;
  }
  if (v.alignedFrom)
    log("WARN", "stable-diffusion.cpp:4154", `align generation request up ${v.alignedFrom.width}x${v.alignedFrom.height} to ${r.width}x${r.height} (multiple=${model.sizeMultiple})`);
  if (v.frames !== v.requestedFrames) log("WARN", "stable-diffusion.cpp:4130", `align video frames from ${v.requestedFrames} to ${v.frames} for ${model.version}`);
}

/** After the conditioning: the sampling passes, the decode and the container (videoPreamble came first). */
export async function runVideo(r: GenRequest & { video: VideoParams }, model: LoadedModel, deps: VideoRunDeps): Promise<VideoOutcome> {
  const v = r.video;
  const started = performance.now();
  if (!model.animatediff) deps.log("INFO", "stable-diffusion.cpp:6914", `generate_video ${r.width}x${r.height}x${v.frames}`);
  const latentStart = performance.now();
  let lowSteps = r.steps;
  if (v.highNoiseSteps > 0) {
    const t0 = performance.now();
    deps.log("DEBUG", "stable-diffusion.cpp:6933", `sample(high noise) ${r.width / 8}x${r.height / 8}x${Math.floor((v.frames - 1) / 4) + 1}`);
    const failed = await deps.sample(v.highNoiseSteps, true);
    if (failed) return failed;
    deps.log("INFO", "stable-diffusion.cpp:6972", `sampling(high noise) completed, taking ${secs(t0)}s`);
    lowSteps = Math.max(1, r.steps - v.highNoiseSteps);
  }
  const t1 = performance.now();
  const failed = await deps.sample(lowSteps, v.highNoiseSteps === 0);
  if (failed) return failed;
  deps.log("INFO", "stable-diffusion.cpp:7012", `sampling completed, taking ${secs(t1)}s`);
  deps.log("INFO", "stable-diffusion.cpp:7155", `generating latent video completed, taking ${secs(latentStart)}s`);
  const t2 = performance.now();
  // Recorded (tests/fixtures/sd-server/vid_gen-vae-load-stdout.log, the real CPU engine at 97d2990 with --mmap):
  // the VAE's tensors load after the latent video, with their own bar, before decode_first_stage.
  await deps.vaeLoad?.();
  await sleep(deps.decodeMs);
  const frames = videoFrames(r.width, r.height, r.seed, v.frames);
  deps.log("INFO", "stable-diffusion.cpp:6583", `decode_first_stage completed, taking ${secs(t2)}s`);
  deps.log("INFO", "stable-diffusion.cpp:7215", `generate_video completed in ${secs(started)}s`);
  const bytes =
    v.outputFormat === "avi"
      ? mjpgAvi(frames, r.width, r.height, v.fps, v.compression)
      : deps.encode
        ? await deps.encode(v.outputFormat, frames, r.width, r.height, v.fps)
        : new Uint8Array();
  // async_jobs.cpp execute_vid_gen_job: an empty container fails the job.
  if (!bytes.length) return { error: "failed to encode generated video container" };
  return { video: { bytes, format: v.outputFormat, fps: v.fps, frameCount: frames.length } };
}

/**
 * A build with SD_USE_WEBP: an animated WebP (upstream media_io.cpp create_animated_webp_from_sd_images_to_vector
 * uses libwebp's WebPAnimEncoder; here libwebp stills muxed by the app's pictures/animated-webp.ts); with
 * SD_USE_WEBM a WebM of the same VP8 frames (webm.ts). Any other format: an empty container.
 */
export async function encodeContainer(format: string, frames: Uint8Array[], width: number, height: number, fps: number): Promise<Uint8Array> {
  if (format !== "webp" && format !== "webm") return new Uint8Array();
  const { encodeWebp } = await import("../../pictures/webp-encode");
  const { muxAnimatedWebp } = await import("../../pictures/animated-webp");
  const stills: Uint8Array[] = [];
  for (const rgb of frames) {
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) rgba.set([rgb[i]!, rgb[i + 1]!, rgb[i + 2]!, 255], j);
    stills.push(await encodeWebp(rgba, width, height, 90, 1));
  }
  if (format === "webm") return (await import("./webm")).webmOfWebps(stills, width, height, fps);
  return muxAnimatedWebp(stills, { width, height, fps });
}

/** media_io.cpp create_mjpg_avi_from_sd_images_to_vector without audio: RIFF AVI, hdrl (avih, strl/strh/strf), movi of 00dc JPEGs, idx1. */
export function mjpgAvi(frames: Uint8Array[], width: number, height: number, fps: number, quality: number): Uint8Array {
  const out: number[] = [];
  const u32 = (v: number) => out.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
  const u16 = (v: number) => out.push(v & 255, (v >>> 8) & 255);
  const cc = (s: string) => out.push(...[...s].map((c) => c.charCodeAt(0)));
  const patch = (at: number, v: number) => out.splice(at, 4, v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
  cc("RIFF");
  const riffSize = out.length;
  u32(0);
  cc("AVI ");
  cc("LIST");
  u32(4 + 8 + 56 + 8 + 4 + 8 + 56 + 8 + 40);
  cc("hdrl");
  cc("avih");
  u32(56);
  for (const v of [Math.floor(1000000 / fps), 0, 0, 0x110, frames.length, 0, 1, width * height * 3, width, height, 0, 0, 0, 0]) u32(v);
  cc("LIST");
  u32(4 + 8 + 56 + 8 + 40);
  cc("strl");
  cc("strh");
  u32(56);
  cc("vids");
  cc("MJPG");
  u32(0), u16(0), u16(0), u32(0), u32(1), u32(fps), u32(0), u32(frames.length), u32(width * height * 3), u32(0xffffffff), u32(0);
  u16(0), u16(0), u16(0), u16(0);
  cc("strf");
  u32(40);
  u32(40), u32(width), u32(height), u16(1), u16(24);
  cc("MJPG");
  u32(width * height * 3), u32(0), u32(0), u32(0), u32(0);
  cc("LIST");
  const moviSize = out.length;
  u32(0);
  cc("movi");
  const index: { offset: number; size: number }[] = [];
  const q = Math.min(90, Math.max(1, quality));
  for (const rgb of frames) {
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) rgba.set([rgb[i]!, rgb[i + 1]!, rgb[i + 2]!, 255], j);
    const data = jpeg.encode({ data: rgba, width, height }, q).data;
    index.push({ offset: out.length, size: data.length });
    cc("00dc");
    u32(data.length);
    for (const b of data) out.push(b);
    if (data.length % 2) out.push(0);
  }
  patch(moviSize, out.length - moviSize - 4);
  cc("idx1");
  u32(index.length * 16);
  for (const e of index) cc("00dc"), u32(0x10), u32(e.offset), u32(e.size);
  patch(riffSize, out.length - riffSize - 4);
  return new Uint8Array(out);
}
