/**
 * Upscales one picture by ×2 or ×4 with an ESRGAN model through sd-cli: reads
 * the model's scale from its tensor names (scale.ts; learnt from a first pass
 * when the names do not tell), runs sd-cli with the passes the plan needs,
 * checks the output has the size it should (sd-cli exits 0 and saves the
 * input unchanged when the model fails to load), and halves the result with
 * a box filter for ×2 with an ×4 model. Works in a private temp folder that
 * is always removed. Returns a PNG.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fastPng } from "../pictures/codecs";
import { HeaderError } from "../models/headers/tensor";
import { readHeader } from "../models/headers/read";
import { pngToRgba } from "../pictures/convert";
import { sniffImage } from "../common/image-data";
import { pngSize } from "../pictures/metadata/png";
import { assertDecodable } from "../pictures/limits";
import { jpegSize } from "../pictures/metadata/exif";
import { decodeWebp, WebpDecodeError } from "../pictures/webp-decode";
import { halveBox } from "./box";
import { OUT_OF_MEMORY } from "../engine/process/errors";
import { UpscaleCancelledError, UpscaleSourceError, UpscalerFailedError, UpscalerOutOfMemoryError } from "./errors";
import { esrganScale, upscalePlan, type ModelScale, type UpscaleFactor } from "./scale";
import { runSdCli, type SdCliResult, type SdCliRun } from "./sd-cli";
import { removeTree } from "../core/files/remove-tree";

export interface UpscaleJob {
  cli: string;
  /** Absolute path of the ESRGAN model file. */
  model: string;
  factor: UpscaleFactor;
  /** The picture (PNG, JPEG or WebP bytes). */
  source: Uint8Array;
  signal?: AbortSignal;
  tileSize?: number;
  onProgress?: SdCliRun["onProgress"];
}

export interface UpscaledPicture {
  png: Uint8Array;
  width: number;
  height: number;
  modelScale: ModelScale;
  /** sd-cli runs made (for the record). */
  runs: number;
}

/** The picture as sd-cli reads it (PNG or JPEG; a WebP is decoded here, as engine builds may not read WebP) and its size. */
async function sourceFile(bytes: Uint8Array): Promise<{ ext: string; bytes: Uint8Array; width: number; height: number }> {
  const kind = sniffImage(bytes);
  assertDecodable(bytes);
  if (kind === "png") return { ext: "png", bytes, ...pngSize(bytes) };
  if (kind === "jpeg") {
    const size = jpegSize(bytes);
    if (size) return { ext: "jpg", bytes, ...size };
  }
  if (kind === "webp") {
    try {
      const rgba = await decodeWebp(bytes);
      const png = fastPng().encode({ width: rgba.width, height: rgba.height, data: rgba.data, channels: 4 });
      return { ext: "png", bytes: png, width: rgba.width, height: rgba.height };
    } catch (err) {
      if (err instanceof WebpDecodeError) throw new UpscaleSourceError(err.message);
      throw err;
    }
  }
  throw new UpscaleSourceError("the picture is not a PNG, JPEG or WebP image");
}

function modelScaleOf(model: string): ModelScale | null {
  if (!existsSync(model)) throw new UpscalerFailedError(`the upscaler model ${model} is missing`);
  try {
    return esrganScale(readHeader(model).tensors.map((t) => t.name));
  } catch (err) {
    if (err instanceof HeaderError) throw new UpscalerFailedError(`the upscaler model cannot be read: ${err.message}`);
    throw err;
  }
}

function failure(r: SdCliResult, expected: { width: number; height: number }, got: { width: number; height: number } | null): UpscalerFailedError {
  const said = r.errors.length ? r.errors.slice(-3).join("; ") : r.exitCode ? `sd-cli exited with code ${r.exitCode}` : "";
  const size = !got
    ? "sd-cli wrote no picture"
    : expected.width === 0
      ? "the model did not load"
      : `the result is ${got.width}×${got.height}, not ${expected.width}×${expected.height}`;
  // Out of GPU memory, sd-cli still exits 0 and saves the input unchanged; its output says why.
  if (r.lines.some((l) => OUT_OF_MEMORY.test(l))) return new UpscalerOutOfMemoryError(`the GPU ran out of memory for the upscaler (${said || size})`);
  return new UpscalerFailedError(said ? `${said} (${size})` : size);
}

export async function upscalePicture(job: UpscaleJob): Promise<UpscaledPicture> {
  const src = await sourceFile(job.source);
  let scale = modelScaleOf(job.model);
  const dir = mkdtempSync(join(tmpdir(), "ed-upscale-"));
  try {
    let input = join(dir, `in.${src.ext}`);
    await Bun.write(input, src.bytes);
    let size = { width: src.width, height: src.height };
    let runs = 0;
    let passesDone = 0;
    const run = async (repeats: number): Promise<Uint8Array> => {
      const output = join(dir, `out${runs}.png`);
      const offset = passesDone;
      const r = await runSdCli({
        cli: job.cli,
        model: job.model,
        input,
        output,
        repeats,
        tileSize: job.tileSize,
        signal: job.signal,
        onProgress: (p) => job.onProgress?.({ ...p, pass: p.pass + offset }),
      });
      runs++;
      if (r.cancelled) throw new UpscaleCancelledError("the upscale was cancelled");
      const got = existsSync(output) ? pngSize(new Uint8Array(await Bun.file(output).arrayBuffer())) : null;
      const per = scale ?? (r.passes[0] ? r.passes[0].to[0] / r.passes[0].from[0] : 0);
      const expected = { width: size.width * per ** repeats, height: size.height * per ** repeats };
      if (r.exitCode !== 0 || !got || !per || got.width !== expected.width || got.height !== expected.height) throw failure(r, expected, got);
      scale ??= per as ModelScale;
      passesDone += repeats;
      size = got;
      input = output;
      return new Uint8Array(await Bun.file(output).arrayBuffer());
    };
    let png: Uint8Array;
    if (scale === null) {
      png = await run(1); // the model's names did not tell its scale: the first pass does
      const plan = upscalePlan(job.factor, scale!);
      if (plan.repeats > 1) png = await run(plan.repeats - 1);
      png = plan.halve ? halve(png) : png;
    } else {
      const plan = upscalePlan(job.factor, scale);
      png = await run(plan.repeats);
      if (plan.halve) png = halve(png);
    }
    const out = pngSize(png);
    return { png, width: out.width, height: out.height, modelScale: scale!, runs };
  } finally {
    removeTree(dir);
  }
}

function halve(png: Uint8Array): Uint8Array {
  const rgba = pngToRgba(png);
  const small = halveBox(rgba.data, rgba.width, rgba.height, 4);
  return fastPng().encode({ width: small.width, height: small.height, data: small.data, channels: 4 });
}
