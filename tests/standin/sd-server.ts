/**
 * The stand-in engine: a small program that behaves like the recorded
 * stable-diffusion.cpp `sd-server` (tests/fixtures/sd-server/): same flags,
 * start-up dump, native async API, stdout progress bars and timing lines,
 * deterministic PNGs, plus delays and fault switches (config.ts).
 * Run: `bun tests/standin/sd-server.ts -m model.safetensors --listen-port 1234`.
 */
import { appendFileSync, existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { faultActive, loadConfig, programDir as standinProgramDir } from "./config";
import { ArgError, flag, has, parseArgs, type ParsedArgs } from "./flags";
import { AsyncJobs, type Job } from "./jobs";
import { cudaText, generationDump, logLine, progressBar, startupDump, stepRate, type Level } from "./output";
import { encodePng, renderGradient } from "./png";
import { hiresSchedule, img2imgSteps, parametersText, parseImgGen } from "./request";
import { capabilities } from "./capabilities";
import { startCache } from "./cache";
import { autoFit, backendKnown, levelOf, listDevices, neededMb } from "./memory";
import { findLoras } from "./loras";
import { embeddingMap } from "./embeddings";
import { loadedModel, parseVidGen, videoFormats, type VideoDefaults } from "./video";
import { encodeContainer, runVideo, videoPreamble } from "./video-run";
import { addRpcServers } from "./rpc-client";

const programDir = standinProgramDir();
const config = loadConfig(programDir);
const out = (s: string) => process.stdout.write(s);
const err = (s: string) => process.stderr.write(s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const self = process.env.STANDIN_ARGV0 || "sd-server";

let args: ParsedArgs;
try {
  args = parseArgs(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof ArgError)) throw e;
  err(`${e.message}\n`);
  out(`Usage: ${self} [options]\n`);
  process.exit(1);
}
// Every command line it was started with, one JSON array a line, for tests to check against the recorded --help.
// Not when run straight from the source folder (tests/standin/ stays clean).
if (programDir !== import.meta.dir) appendFileSync(join(programDir, "argv.jsonl"), `${JSON.stringify(process.argv.slice(2))}\n`);
// common.cpp --list-devices: a callback while parsing, prints the devices and exits 0 (recorded list-devices-cpu.txt).
if (has(args, "--list-devices")) {
  out(listDevices(config));
  process.exit(0);
}
if (has(args, "--help")) {
  out(`stable-diffusion.cpp version unknown, commit unknown\nUsage: ${self} [options]\n`);
  process.exit(0);
}

const fault = config.fault !== "upscale-oom" && faultActive(config) ? config.fault : "none"; // upscale-oom is sd-cli's
// Loader-level failures happen before main() prints anything, as with the real binary.
if (fault === "missing-library") {
  err(`${self}: error while loading shared libraries: ${config.missingLibrary}: cannot open shared object file: No such file or directory\n`);
  process.exit(127);
}
if (fault === "glibc") {
  err(`${self}: /lib/x86_64-linux-gnu/libc.so.6: version \`GLIBC_2.39' not found (required by ${self})\n`);
  process.exit(1);
}

const modelPath = flag(args, "--model");
const diffusionPath = flag(args, "--diffusion-model");
const loraDir = flag(args, "--lora-model-dir") ?? ".";
const ip = flag(args, "--listen-ip") ?? "127.0.0.1";
const port = Number(flag(args, "--listen-port") ?? 1234);
const threads = Number(flag(args, "--threads") ?? -1);
const eagerLoad = has(args, "--eager-load");
const verbose = has(args, "--verbose");
/** sd.cpp's log_print: DEBUG only with -v, ERROR to stderr, the rest to stdout. */
const log = (level: Level, where: string, msg: string) => {
  if (level === "DEBUG" && !verbose) return;
  (level === "ERROR" ? err : out)(logLine(level, where, msg));
};
// Checked right after parsing, before anything is printed, as sd.cpp's argument validation does.
if (!modelPath && !diffusionPath) {
  err("error: the following arguments are required: model_path/diffusion_model\n");
  out(`Usage: ${self} [options]\n`);
  process.exit(1);
}

if (verbose) out(
  startupDump(ip, port, {
    threads: threads > 0 ? threads : 2,
    model: modelPath,
    diffusionModel: diffusionPath,
    vae: flag(args, "--vae"),
    clipL: flag(args, "--clip_l"),
    clipG: flag(args, "--clip_g"),
    t5xxl: flag(args, "--t5xxl"),
    llm: flag(args, "--llm"),
    taesd: flag(args, "--taesd"),
    upscaleModel: flag(args, "--upscale-model"),
    controlNet: flag(args, "--control-net"),
    embdDir: flag(args, "--embd-dir"),
    embeddings: embeddingMap(flag(args, "--embd-dir")),
    loraDir,
    offloadToCpu: has(args, "--offload-to-cpu"),
    eagerLoad,
    mmap: has(args, "--mmap"),
    flashAttn: has(args, "--fa"),
    diffusionFlashAttn: has(args, "--diffusion-fa"),
  }),
);

const mainModel = (modelPath ?? diffusionPath)!;
log("DEBUG", "model_loader.cpp:228", "using 2 threads for model loading");
// Recorded (tests/fixtures/sd-server/rpc-servers-without-rpc.log): the RPC servers are added before the model loads.
const rpc = await addRpcServers(flag(args, "--rpc-servers"), config.rpc === true || String(config.rpc) === "1", log, err);
log("INFO", "stable-diffusion.cpp:713", `loading model from '${mainModel}'`);
/** How new_sd_ctx fails when the model loader cannot read a file (tests/fixtures/sd-server/model-load-failures.json). */
function loaderFailure(file: string, first?: () => void): never {
  first?.();
  log("ERROR", "stable-diffusion.cpp:715", `init model loader from file failed: '${file}'`);
  log("ERROR", "stable-diffusion.cpp:905", `get sd version from file failed: '${file}'`);
  log("ERROR", "main.cpp:92", "new_sd_ctx_t failed");
  process.exit(1);
}
const videoFiles = ["--high-noise-diffusion-model", "--clip_vision", "--motion-module"].map((f) => flag(args, f));
for (const file of [modelPath, diffusionPath, flag(args, "--vae"), flag(args, "--clip_l"), flag(args, "--t5xxl"), flag(args, "--llm"), ...videoFiles]) {
  // Recorded for -m; the same wording for the other model flags is guessed (they go through the same loader).
  if (file && !existsSync(file)) loaderFailure(file, () => log("WARN", "model_loader.cpp:254", `file ${file} not found`));
}
if (fault === "damaged-model") {
  loaderFailure(mainModel, () => log("ERROR", "model_loader.cpp:321", "data offsets out of bounds for tensor 'cond_stage_model.transformer.text_model.embeddings.position_embedding.weight'"));
}
if (fault === "not-a-model") loaderFailure(mainModel, () => log("WARN", "model_loader.cpp:252", `unknown format ${mainModel}`));
log("INFO", "model_loader.cpp:242", `load ${mainModel} using safetensors format`);
if (fault === "unsupported-model") {
  log("ERROR", "stable-diffusion.cpp:905", `get sd version from file failed: '${mainModel}'`);
  log("ERROR", "main.cpp:92", "new_sd_ctx_t failed");
  process.exit(1);
}
// What the loaded model can do: Wan only vid_gen, SD 1.x img_gen (and vid_gen with a motion module): video.ts.
const model = loadedModel(diffusionPath, flag(args, "--motion-module"));
log("INFO", "stable-diffusion.cpp:908", `Version: ${model.version} `);
// Recorded (memory-levels-stdout.log): auto-fit right after the version; an unknown --backend fails the context.
const timeShare = has(args, "--auto-fit") ? autoFit(config, args, log) : false;
const backend = flag(args, "--backend");
// A backend naming an RPC device (RPC0, …) is known once --rpc-servers added it (rpc-client.ts).
const onRpc = backend && rpc.names.find((n) => n.toLowerCase() === backend.toLowerCase());
if (backend && !has(args, "--auto-fit") && !backendKnown(config, backend) && !onRpc) {
  log("ERROR", "stable-diffusion.cpp:630", `backend config failed: backend '${backend}' was not found`);
  log("ERROR", "main.cpp:92", "new_sd_ctx_t failed");
  process.exit(1);
}
const memoryLevel = levelOf(args);
if (config.gpuMemoryMb <= 0 && Number.parseFloat(flag(args, "--max-vram") ?? "0") < 0) {
  // Recorded (memory-levels-stdout.log): ggml_graph_cut.cpp on a CPU build.
  log("WARN", "ggml_graph_cut.cpp:263", "--max-vram < 0 requested, but the main backend is CPU; disabling graph splitting");
}
if (fault === "no-device") {
  // ggml-cuda.cu ggml_cuda_init and ggml_extend_backend.cpp sd_get_default_backend; the exit that follows is guessed.
  err(cudaText("ggml_@_init: failed to initialize CUDA: no CUDA-capable device is detected\n"));
  log("ERROR", "ggml_extend_backend.cpp:543", "No devices found!");
  log("ERROR", "main.cpp:92", "new_sd_ctx_t failed");
  process.exit(1);
}
if (fault === "fail-start") {
  log("ERROR", "main.cpp:92", "new_sd_ctx_t failed");
  process.exit(1);
}
log("DEBUG", "ggml_extend_backend.cpp:545", "Found 1 backend devices:");
log("DEBUG", "ggml_extend_backend.cpp:548", "#0: CPU");
log("DEBUG", "ggml_extend_backend.cpp:590", "Using CPU backend");

/** Prints a tensor-loading bar the way the library does, a few updates then the final one. */
async function loadBar(tensors: number) {
  log("DEBUG", "model_loader.cpp:1042", `loading ${tensors}/802 tensors from ${mainModel}`);
  for (const at of [1, Math.ceil(tensors / 2), tensors]) {
    await sleep(config.loadMs);
    out(progressBar(at, tensors, "load", `${(178.16 * (at / tensors)).toFixed(2)}MB/s`));
  }
  out("\n");
  log("INFO", "model_loader.cpp:1304", `loading tensors completed, taking 0.20s (read: 0.00s, memcpy: 0.00s, convert: 0.00s, copy_to_backend: 0.00s)`);
}

/** The VAE's lazy load during a video's decode, as recorded (vid_gen-vae-load-stdout.log). */
async function videoVaeLoad() {
  log("INFO", "model_loader.cpp:971", "memory-mapped 39 tensors in 1 files (139.76 MB), taking 0.00s");
  out(progressBar(108, 108, "load", "0.19MB/s"));
  out("\n");
  log("INFO", "model_loader.cpp:1304", "loading tensors completed, taking 0.20s (read: 0.00s, memcpy: 0.00s, convert: 0.00s, copy_to_backend: 0.00s)");
}

if (eagerLoad) {
  for (const tensors of [196, 358, 140]) await loadBar(tensors);
}
log("INFO", "stable-diffusion.cpp:1745", "total params memory size = 1011.95MB (VRAM 0.00MB, RAM 1011.95MB): text_encoders 235.06MB(RAM), diffusion_model 617.20MB(RAM), vae 159.68MB(RAM), controlnet 0.00MB(N/A), extensions 0.00MB(N/A)");
log("INFO", "stable-diffusion.cpp:1849", "running in eps-prediction mode");
await sleep(config.startDelayMs);

const defaults: VideoDefaults = {
  width: Number(flag(args, "--width") ?? 512),
  height: Number(flag(args, "--height") ?? 512),
  steps: Number(flag(args, "--steps") ?? 20),
  seed: Number(flag(args, "--seed") ?? 42),
  cfg: Number(flag(args, "--cfg-scale") ?? 7),
  sampleMethod: flag(args, "--sampling-method") ?? "default",
  scheduler: flag(args, "--scheduler") ?? "default",
  // common.cpp: --video-frames default 1, --fps default 24.
  videoFrames: Number(flag(args, "--video-frames") ?? 1),
  fps: Number(flag(args, "--fps") ?? 24),
};
const videoBuild = config.videoBuild.split(",").filter(Boolean);
const modelName = basename(mainModel);
const jobs = new AsyncJobs(config.jobTtlS, config.maxPending);
let hung = false;
const loaded = { cond: eagerLoad, diffusion: eagerLoad, vae: eagerLoad };

async function hang(): Promise<never> {
  hung = true;
  return new Promise<never>(() => {});
}

async function generate(job: Job) {
  const r = job.request;
  const started = performance.now();
  if (verbose) out(generationDump("routes_sdcpp.cpp:412", { ...r, batchCount: r.batchCount, sampleMethod: r.sampleMethod === "default" ? "NONE" : r.sampleMethod, scheduler: r.scheduler === "default" ? "NONE" : r.scheduler }));
  if (r.video) videoPreamble({ ...r, video: r.video }, model, log);
  else log("INFO", "stable-diffusion.cpp:5628", `generate_image ${r.width}x${r.height}`);
  log("INFO", "denoiser.hpp:1051", `get_sigmas with ${r.scheduler === "default" ? "discrete" : r.scheduler} scheduler`);
  log("INFO", "stable-diffusion.cpp:4380", `sampling using ${r.sampleMethod === "default" ? "Euler A" : r.sampleMethod} method`);
  const firstPass = r.img2img && !r.video ? img2imgSteps(r.steps, r.strength) : null;
  if (firstPass) {
    log("INFO", "stable-diffusion.cpp:4925", "IMG2IMG");
    log("INFO", "stable-diffusion.cpp:4969", `target t_enc is ${firstPass.tEnc} steps`);
    log("INFO", "stable-diffusion.cpp:5186", "encode_first_stage completed, taking 0.01s");
  }
  if (!loaded.cond) await loadBar(196), (loaded.cond = true);
  log("DEBUG", "conditioner.hpp:497", "computing condition graph completed, taking 12 ms");
  log("INFO", "stable-diffusion.cpp:5296", "get_learned_condition completed, taking 0.02s");
  const images: Uint8Array[] = [];
  const samplingStarted = performance.now();
  /** One sampling bar of `total` steps; the fault switches apply to the first pass only. */
  const sample = async (total: number, faults: boolean): Promise<{ error: string } | null> => {
    const cache = startCache(r.cache, total, log);
    log("DEBUG", "ggml_extend.hpp:2241", "unet compute buffer size: 5.60 MB(RAM)");
    for (let step = 1; step <= total; step++) {
      const t0 = performance.now();
      // A reused step costs almost nothing: the bar still counts it (real runs: recorded cache-stdout.log).
      await sleep(cache?.skip(step) ? Math.ceil(config.stepMs / 20) : config.stepMs);
      if (onRpc) await rpc.compute(onRpc);
      const tooBig = config.gpuMemoryMb > 0 && step === 1 && neededMb(memoryLevel, r.width, r.height, timeShare) > config.gpuMemoryMb;
      if (tooBig || (faults && step === config.faultStep)) {
        if (fault === "crash-at-step") process.kill(process.pid, "SIGSEGV");
        if (fault === "hang") await hang();
        if (fault === "oom" || tooBig) {
          out("\n");
          err(cudaText("ggml_backend_@_buffer_type_alloc_buffer: allocating 2560.00 MiB on device 0: @Malloc failed: out of memory\n"));
          err("ggml_gallocr_reserve_n: failed to allocate CUDA0 buffer of size 2684354560\n");
          log("ERROR", "ggml_extend.hpp:2234", "unet: failed to allocate the compute buffer\n");
          log("ERROR", "ggml_extend.hpp:2803", "unet alloc compute buffer failed");
          return { error: "generate_image returned no results" };
        }
      }
      out(progressBar(step, total, "sampling", stepRate((performance.now() - t0) / 1000)));
    }
    out("\n");
    cache?.summary();
    return null;
  };
  if (r.video) {
    if (!loaded.diffusion) await loadBar(358), (loaded.diffusion = true);
    return runVideo({ ...r, video: r.video }, model, { log, sample, decodeMs: config.decodeMs, encode: encodeContainer, vaeLoad: videoVaeLoad });
  }
  for (let i = 0; i < r.batchCount; i++) {
    log("INFO", "stable-diffusion.cpp:5679", `generating image: ${i + 1}/${r.batchCount} - seed ${r.seed + i}`);
    if (!loaded.diffusion) await loadBar(358), (loaded.diffusion = true);
    const failed = await sample(firstPass ? firstPass.samplingSteps : r.steps, true);
    if (failed) return failed;
  }
  const sampling = ((performance.now() - samplingStarted) / 1000).toFixed(2);
  log("INFO", "stable-diffusion.cpp:5711", `sampling completed, taking ${sampling}s`);
  log("INFO", "stable-diffusion.cpp:5723", `generating ${r.batchCount} latent images completed, taking ${sampling}s`);
  const h = r.hires;
  if (h) {
    // The second sampling pass (recorded in tests/fixtures/sd-server/hires-stdout.log).
    const hiresStarted = performance.now();
    const plan = hiresSchedule(h.steps, r.steps, h.denoise);
    log("INFO", "stable-diffusion.cpp:5736", `hires fix: upscaling to ${h.width}x${h.height}`);
    log("INFO", "denoiser.hpp:1051", `get_sigmas with ${r.scheduler === "default" ? "discrete" : r.scheduler} scheduler`);
    log("INFO", "stable-diffusion.cpp:5768", `hires fix: scheduler_steps=${plan.schedulerSteps}, denoising_strength=${h.denoise.toFixed(2)}, sigma_sched_size=${plan.sigmaSize}`);
    for (let b = 0; b < r.batchCount; b++) {
      const t0 = performance.now();
      if (h.upscaler !== "Latent") log("INFO", "stable-diffusion.cpp:5519", `hires ${h.upscaler} image upscale ${r.width}x${r.height} -> ${h.width}x${h.height}`);
      await sample(plan.samplingSteps, false);
      log("INFO", "stable-diffusion.cpp:5832", `hires sampling ${b + 1}/${r.batchCount} completed, taking ${((performance.now() - t0) / 1000).toFixed(2)}s`);
    }
    log("INFO", "stable-diffusion.cpp:5847", `hires fix completed, taking ${((performance.now() - hiresStarted) / 1000).toFixed(2)}s`);
  }
  const [outW, outH] = h ? [h.width, h.height] : [r.width, r.height];
  for (let i = 0; i < r.batchCount; i++) {
    const seed = r.seed + i;
    images.push(encodePng(outW, outH, renderGradient(outW, outH, seed), r.embedMetadata ? { parameters: parametersText({ ...r, width: outW, height: outH }, seed, modelName) } : {}));
  }
  log("INFO", "stable-diffusion.cpp:5321", `decoding ${r.batchCount} latents`);
  if (!loaded.vae) await loadBar(140), (loaded.vae = true);
  await sleep(config.decodeMs);
  for (let i = 0; i < r.batchCount; i++) log("INFO", "stable-diffusion.cpp:5387", `latent ${i + 1} decoded, taking ${(config.decodeMs / 1000).toFixed(2)}s`);
  log("INFO", "stable-diffusion.cpp:5391", `decode_first_stage completed, taking ${(config.decodeMs / 1000).toFixed(2)}s`);
  log("INFO", "stable-diffusion.cpp:5861", `generate_image completed in ${((performance.now() - started) / 1000).toFixed(2)}s`);
  return { images };
}

const json = (body: unknown, status = 200) => Response.json(body, { status });

async function handle(req: Request): Promise<Response> {
  if (hung) return new Promise<Response>(() => {});
  const url = new URL(req.url);
  const path = url.pathname;
  if (req.method === "GET" && path === "/") return new Response("<!doctype html><title>sd-server</title>", { headers: { "content-type": "text/html" } });
  if (req.method === "GET" && path === "/sdcpp/v1/capabilities") {
    return json(capabilities({ defaults, modes: model, videoFormats: videoFormats(videoBuild), modelPath: mainModel, loras: findLoras(loraDir).map(({ name, path }) => ({ name, path })), maxPending: config.maxPending }));
  }
  if (req.method === "POST" && path === "/sdcpp/v1/img_gen") {
    const text = await req.text();
    if (!text) return json({ error: "empty body" }, 400);
    // routes_sdcpp.cpp: the mode check comes before the body is parsed (runtime.cpp unsupported_generation_mode_error).
    if (!model.img) return json({ error: "loaded model does not support img_gen" }, 400);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      return json({ error: "invalid json", message: `[json.exception.parse_error.101] parse error: ${(e as Error).message}` }, 400);
    }
    const parsed = parseImgGen(body, defaults, loraDir);
    if (!parsed.ok) {
      if (parsed.log) log("ERROR", parsed.at ?? "common.cpp:2096", parsed.log);
      return json({ error: parsed.error }, 400);
    }
    const job = jobs.submit(parsed.request);
    if (!job) return json({ error: "job queue is full" }, 429);
    return json({ id: job.id, kind: "img_gen", status: job.status, created: job.created, poll_url: `/sdcpp/v1/jobs/${job.id}` }, 202);
  }
  if (req.method === "POST" && path === "/sdcpp/v1/vid_gen") return submitVideo(await req.text());
  const match = /^\/sdcpp\/v1\/jobs\/([A-Za-z0-9_-]+)(\/cancel)?$/.exec(path);
  if (match && ((req.method === "GET" && !match[2]) || (req.method === "POST" && match[2]))) {
    const job = jobs.find(match[1]!);
    if (job === "expired") return json({ error: "job expired" }, 410);
    if (job === "not found") return json({ error: "job not found" }, 404);
    if (match[2]) {
      if (job.status === "queued" && !jobs.cancelQueued(job)) return json({ error: "job queue state changed before cancellation" }, 409);
      if (job.status === "generating") return json({ error: "job is currently generating and cannot be interrupted yet" }, 409);
    }
    return json(jobs.toJson(job));
  }
  return new Response("Not Found", { status: 404 });
}

/** routes_sdcpp.cpp's vid_gen route: empty body, mode, JSON, parse_vid_gen_request, then the job as img_gen's. */
function submitVideo(text: string): Response {
  if (!text) return json({ error: "empty body" }, 400);
  if (!model.vid) return json({ error: "loaded model does not support vid_gen" }, 400);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return json({ error: "invalid json", message: `[json.exception.parse_error.101] parse error: ${(e as Error).message}` }, 400);
  }
  const parsed = parseVidGen(body, defaults, loraDir, model, videoBuild, !!flag(args, "--high-noise-diffusion-model"));
  if (!parsed.ok) {
    if (parsed.log) log("ERROR", parsed.at ?? "common.cpp:2096", parsed.log);
    return json({ error: parsed.error }, 400);
  }
  const job = jobs.submit(parsed.request);
  if (!job) return json({ error: "job queue is full" }, 429);
  return json({ id: job.id, kind: "vid_gen", status: job.status, created: job.created, poll_url: `/sdcpp/v1/jobs/${job.id}` }, 202);
}
try {
  Bun.serve({ hostname: ip, port, fetch: handle, idleTimeout: 0 });
} catch (e) {
  log("ERROR", "main.cpp:146", `failed to listen on ${ip}:${port}: ${(e as Error).message}`);
  process.exit(1);
}
log("INFO", "main.cpp:148", `listening on: http://${ip}:${port}`);
await jobs.work(generate);
