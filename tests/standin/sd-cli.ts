/**
 * The stand-in `sd-cli`: upstream's CLI in `-M upscale` mode only, matching
 * the real binary's recording (tests/fixtures/sd-server/sd-cli-upscale.json,
 * sd-cli-help.txt) line for line where it matters:
 * - flags from the recorded help (values for `<type>` flags and -M/--preview/--imat-in);
 *   unknown → `error: unknown argument: X`, usage, exit 1; upscale without
 *   --upscale-model → `error: upscale mode needs an upscaler model (--upscale-model)`, exit 1;
 * - input: PNG or JPEG, else `load image from '…' failed` twice, exit 1;
 * - the model's scale from its safetensors tensor names as
 *   ESRGANConfig::detect_from_weights does; a missing file or a file without the
 *   ESRGAN tensors: the recorded `[ERROR]` lines, `new_upscaler_ctx failed`, and
 *   the input saved unchanged with exit 0 (as the real one does);
 * - per pass `upscaling from (W x H) to (W2 x H2)`, the weight-loading bar on the
 *   first, a tile bar (`|===>| k/N - x.xxit/s`) when the picture exceeds
 *   --upscale-tile-size (tiles per side: 1, or ⌈(size − tile) ÷ (0.75 tile)⌉ + 1,
 *   as process_tiles_2d with overlap 0.25 — checked on the recorded 128/64 → 9),
 *   `input_image_tensor upscaled, taking x.xxs`, `save result image 0 to '…' (success)`;
 * - pixels: nearest-neighbour enlargement (no network), written as an RGB PNG.
 * Time per tile (or per pass when untiled): `stepMs` of standin.json / STANDIN_STEP_MS.
 * Every argv is appended to `cli-argv.jsonl` beside the program when it runs from a build folder.
 */
import { appendFileSync, existsSync, readFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { decode as decodePng } from "fast-png";
import { decode as decodeJpeg } from "jpeg-js";
import help from "../fixtures/sd-server/sd-cli-help.txt" with { type: "text" };
import { faultActive, loadConfig, programDir as standinProgramDir } from "./config";
import { encodePng } from "./png";
import { cudaText } from "./output";

const programDir = standinProgramDir();
const config = loadConfig(programDir);
/** The "upscale-oom" fault: the GPU has no room for the upscaler's compute buffer (counted like the server's faults). */
const oom = config.fault === "upscale-oom" && faultActive(config);
const argv = process.argv.slice(2);
if (programDir !== import.meta.dir) appendFileSync(join(programDir, "cli-argv.jsonl"), `${JSON.stringify(argv)}\n`);

// Synchronous writes: the process exits right after, and nothing may be lost from a pipe.
const out = (s: string) => writeSync(1, s);
const err = (s: string) => writeSync(2, s);
const usage = () => out(help.endsWith("\n") ? help : `${help}\n`);

/** Flags of the recorded help: name → takes a value. */
function flags(): Map<string, boolean> {
  const map = new Map<string, boolean>();
  for (const m of help.matchAll(/^ {2}(-\w, )?(--[\w-]+)( <\w+>)?/gm)) {
    const value = !!m[3] || ["--mode", "--preview", "--imat-in"].includes(m[2]!);
    map.set(m[2]!, value);
    if (m[1]) map.set(m[1].slice(0, 2), value);
  }
  return map;
}

const known = flags();
const opts = new Map<string, string>();
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === "-h" || a === "--help") {
    usage();
    process.exit(0);
  }
  if (!known.has(a)) {
    err(`[ERROR] common.cpp:325  - error: unknown argument: ${a}\n`);
    usage();
    process.exit(1);
  }
  if (known.get(a)) {
    if (i + 1 >= argv.length) {
      err(`[ERROR] common.cpp:325  - error: missing argument value for ${a}\n`); // guessed wording
      usage();
      process.exit(1);
    }
    opts.set(a, argv[++i]!);
  } else opts.set(a, "true");
}
const get = (...names: string[]) => names.map((n) => opts.get(n)).find((v) => v !== undefined);
const mode = get("-M", "--mode") ?? "img_gen";
if (mode !== "upscale") {
  err(`[ERROR] stand-in sd-cli: only -M upscale is implemented\n`);
  process.exit(1);
}
const modelPath = get("--upscale-model");
if (!modelPath) {
  err("[ERROR] common.cpp:748  - error: upscale mode needs an upscaler model (--upscale-model)\n");
  usage();
  process.exit(1);
}
const input = get("-i", "--init-img") ?? "";
const output = get("-o", "--output") ?? "./output.png";
const repeats = Number(get("--upscale-repeats") ?? 1);
const tileSize = Number(get("--upscale-tile-size") ?? 128);

function loadImage(path: string): { width: number; height: number; rgb: Uint8Array } | null {
  try {
    const bytes = readFileSync(path);
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const j = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: false });
      return { width: j.width, height: j.height, rgb: new Uint8Array(j.data) };
    }
    const p = decodePng(bytes);
    const rgb = new Uint8Array(p.width * p.height * 3);
    const ch = p.channels;
    for (let i = 0, s = 0; i < rgb.length; i += 3, s += ch) {
      const gray = ch <= 2;
      rgb[i] = Number(p.data[s]);
      rgb[i + 1] = Number(gray ? p.data[s] : p.data[s + 1]);
      rgb[i + 2] = Number(gray ? p.data[s] : p.data[s + 2]);
    }
    return { width: p.width, height: p.height, rgb };
  } catch {
    return null;
  }
}

let image: { width: number; height: number; rgb: Uint8Array } | null = loadImage(input);
if (!image) {
  err(`[ERROR] media_io.cpp:538  - load image from '${input}' failed\n[ERROR] main.cpp:749  - load image from '${input}' failed\n`);
  process.exit(1);
}
out(`[INFO ] common.cpp:2205 - set width x height to ${image.width} x ${image.height}\n`);

function tensorNames(path: string): string[] | null {
  try {
    const b = readFileSync(path);
    const len = Number(b.readBigUInt64LE(0));
    return Object.keys(JSON.parse(b.subarray(8, 8 + len).toString("utf8"))).filter((k) => k !== "__metadata__");
  } catch {
    return null;
  }
}

/** ESRGANConfig::detect_from_weights: scale and block count, or null when no ESRGAN tensor is there. */
function detect(names: string[]): { scale: number; blocks: number; found: boolean } {
  let blocks = 0;
  for (const n of names) {
    const m = /^body\.(\d+)\./.exec(n);
    if (m) blocks = Math.max(blocks, Number(m[1]) + 1);
  }
  const has = (n: string) => names.includes(n);
  const found = blocks > 0 || has("conv_first.weight") || has("conv_hr.weight") || has("conv_last.weight");
  const scale = has("conv_up2.weight") ? 4 : has("conv_up1.weight") ? 2 : found ? 1 : 4;
  return { scale, blocks: blocks || 23, found: found || has("conv_up1.weight") || has("conv_up2.weight") };
}

function expectedTensors(scale: number, blocks: number): string[] {
  const convs = ["conv_first", "conv_body", "conv_hr", "conv_last", ...(scale >= 2 ? ["conv_up1"] : []), ...(scale === 4 ? ["conv_up2"] : [])];
  for (let b = 0; b < blocks; b++) for (const r of ["rdb1", "rdb2", "rdb3"]) for (let c = 1; c <= 5; c++) convs.push(`body.${b}.${r}.conv${c}`);
  return convs.flatMap((c) => [`${c}.bias`, `${c}.weight`]).sort();
}

const saveAndExit = (img: { width: number; height: number; rgb: Uint8Array }) => {
  Bun.write(output, encodePng(img.width, img.height, img.rgb, { parameters: "Version: stable-diffusion.cpp" })).then(() => {
    out(`[INFO ] main.cpp:490  - save result image 0 to '${output}' (success)\n[INFO ] main.cpp:562  - 1/1 images saved\n`);
    process.exit(0);
  });
};

const ctxFailed = () => err("[ERROR] main.cpp:979  - new_upscaler_ctx failed\n");
if (!existsSync(modelPath)) {
  out(`[WARN ] model_loader.cpp:254  - file ${modelPath} not found\n`);
  err(`[ERROR] upscaler.cpp:84   - init model loader from file failed: '${modelPath}'\n`);
  ctxFailed();
  saveAndExit(image);
} else {
  const names = tensorNames(modelPath);
  if (!names) {
    out(`[WARN ] model_loader.cpp:252 - unknown format ${modelPath}\n`);
    err(`[ERROR] upscaler.cpp:84   - init model loader from file failed: '${modelPath}'\n`);
    ctxFailed();
    saveAndExit(image);
  } else {
    out(`[INFO ] model_loader.cpp:242  - load ${modelPath} using safetensors format\n[INFO ] upscaler.cpp:88   - Upscaler weight type: f16\n`);
    const { scale, blocks, found } = detect(names);
    const missing = expectedTensors(scale, blocks).filter((n) => !names.includes(n));
    if (!found || missing.length) {
      for (const n of missing) err(`[ERROR] model_manager.cpp:640  - ESRGAN tensor '${n}' not in model metadata\n`);
      err("[ERROR] upscaler.cpp:110  - register esrgan tensors with model manager failed\n");
      ctxFailed();
      saveAndExit(image);
    } else {
      for (let pass = 0; pass < Math.max(0, repeats); pass++) {
        const w2: number = image.width * scale;
        const h2: number = image.height * scale;
        out(`[INFO ] upscaler.cpp:156  - upscaling from (${image.width} x ${image.height}) to (${w2} x ${h2})\n`);
        const t0 = performance.now();
        if (pass === 0) {
          const n = names.length;
          out(`\r  |${"#".repeat(50)}| ${n}/${n} - 16.61MB/s\x1b[K\n`);
          out("[INFO ] model_loader.cpp:1304 - loading tensors completed, taking 0.20s (read: 0.00s, memcpy: 0.00s, convert: 0.00s, copy_to_backend: 0.00s)\n");
        }
        const tiled = tileSize > 0 && (image.width > tileSize || image.height > tileSize);
        if (oom) {
          // What upstream prints when the compute buffer does not fit (ggml-cuda, ggml-alloc, ggml_extend.hpp,
          // upscaler.cpp, main.cpp at the pinned tag): the input is saved unchanged and sd-cli exits 0. Guessed order.
          err(cudaText("ggml_backend_@_buffer_type_alloc_buffer: allocating 1536.00 MiB on device 0: @Malloc failed: out of memory\n"));
          err("ggml_gallocr_reserve_n: failed to allocate CUDA0 buffer of size 1610612736\n");
          err("[ERROR] ggml_extend.hpp:2234 - esrgan: failed to allocate the compute buffer\n\n");
          err(tiled ? "[ERROR] upscaler.cpp:125  - esrgan compute failed while processing a tile\n" : "[ERROR] upscaler.cpp:144  - esrgan compute failed\n");
          err("[ERROR] main.cpp:997  - upscale failed\n");
          break;
        }
        const per = (s: number) => (s <= tileSize ? 1 : Math.ceil((s - tileSize) / (tileSize * 0.75)) + 1);
        const tiles = tiled ? per(image.width) * per(image.height) : 1;
        for (let t = 1; t <= tiles; t++) {
          Bun.sleepSync(config.stepMs);
          if (tiled) {
            // sd.cpp's pretty_progress: '=' below pos, '>' at pos, pos = ⌊50 × step ÷ steps⌋.
            const pos = Math.floor((50 * t) / tiles);
            const bar = Array.from({ length: 50 }, (_, i) => (i < pos ? "=" : i === pos ? ">" : " ")).join("");
            out(`\r  |${bar}| ${t}/${tiles} - ${(1000 / Math.max(1, config.stepMs)).toFixed(2)}it/s\x1b[K${t === tiles ? "\n" : ""}`);
          }
        }
        const rgb = new Uint8Array(w2 * h2 * 3);
        for (let y = 0; y < h2; y++)
          for (let x = 0; x < w2; x++) {
            const s = (Math.floor(y / scale) * image.width + Math.floor(x / scale)) * 3;
            rgb.set(image.rgb.subarray(s, s + 3), (y * w2 + x) * 3);
          }
        image = { width: w2, height: h2, rgb };
        out(`[INFO ] upscaler.cpp:168  - input_image_tensor upscaled, taking ${((performance.now() - t0) / 1000).toFixed(2)}s\n`);
      }
      saveAndExit(image);
    }
  }
}
