/**
 * Saving finished images: our metadata in, the engine's out, written whole
 * to outputs/.incoming/, recorded in the database, then renamed to
 * outputs/<folder template>/<file template>.<ext> (so a crash never leaves half
 * an image under a real name, nor a picture the database does not know).
 *
 * A JPEG or WebP request gets PNG from the engine, converted here
 * (convert.ts). Metadata by format:
 * - PNG: `parameters` text chunk in the A1111 layout + `easy-diffusion` chunk
 *   holding our request as JSON (the engine's own `parameters` is replaced).
 * - JPEG: the same infotext in EXIF UserComment (as A1111 writes it), our
 *   JSON in a COM segment.
 * - WebP: the infotext in EXIF UserComment (RIFF `EXIF` chunk, extended
 *   layout), as A1111/Forge read it; our JSON in the `XMP ` chunk.
 * Image data fields (init image, mask, …) are left out of the embedded JSON.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { VERSION } from "../core/version";
import { ImageEncodeError, pngToJpeg, pngToWebp } from "../pictures/convert";
import { sniffImage, type ImageKind } from "../common/image-data";
import { writeJpegMetadata, jpegSize } from "../pictures/metadata/exif";
import { formatInfotext } from "../common/infotext";
import { pngSize, replacePngText } from "../pictures/metadata/png";
import { webpInfo, writeWebpMetadata } from "../pictures/metadata/webp";
import { JSON_KEYWORD } from "../pictures/metadata/read";
import { isInside } from "../core/files/inside";
import type { ResolvedRequest } from "../common/image-request";
import { renderFileName, renderFolder } from "./templates";
import { NamedError } from "../core/server/errors";

export const EXTENSIONS: Record<ImageKind, string> = { png: "png", jpeg: "jpg", webp: "webp" };
export const VERSION_TEXT = `Easy Diffusion ${VERSION}`;

export interface ImageExtras {
  modelHash?: string;
  loraHashes?: Record<string, string>;
}

export interface EmbeddedImage {
  bytes: Uint8Array;
  format: ImageKind;
  width: number;
  height: number;
}

export class InvalidOutputError extends NamedError {
  override name = "InvalidOutputError";
  override readonly code = "invalid_output";
  override readonly status = 502;
}

/**
 * The request as it goes into an image: this image's seed, no embedded image
 * data, and how it was made (`mode`); the denoising strength only when it
 * started from a picture (a text-to-image picture has none to show).
 */
export function metadataRequest(
  r: ResolvedRequest,
): Omit<ResolvedRequest, "init_image" | "mask" | "ref_images" | "control_image" | "upscale_of" | "strength"> & {
  strength?: number;
  mode: "txt2img" | "img2img" | "inpaint";
} {
  const { init_image, mask, ref_images: _r, control_image: _c, upscale_of: _u, strength, ...rest } = r;
  if (!init_image) return { ...rest, mode: "txt2img" };
  return { ...rest, strength, mode: mask ? "inpaint" : "img2img" };
}

/** The engine's image in the requested format: a PNG becomes JPEG/WebP here; anything else is kept as it came. */
async function toRequestedFormat(
  engineOutput: Uint8Array,
  engineFormat: ImageKind,
  request: ResolvedRequest,
): Promise<{ bytes: Uint8Array; format: ImageKind }> {
  const quality = request.output_quality ?? 90;
  if (engineFormat === "png" && request.output_format === "jpeg") return { bytes: pngToJpeg(engineOutput, quality), format: "jpeg" };
  if (engineFormat === "png" && request.output_format === "webp") return { bytes: await pngToWebp(engineOutput, quality), format: "webp" };
  return { bytes: engineOutput, format: engineFormat };
}

/** Puts our metadata into an engine image (whatever format the engine actually returned). */
export async function embedMetadata(engineOutput: Uint8Array, request: ResolvedRequest, extras: ImageExtras = {}): Promise<EmbeddedImage> {
  const engineFormat = sniffImage(engineOutput);
  if (!engineFormat) throw new InvalidOutputError("the engine returned data that is not a PNG, JPEG or WebP image");
  const infotext = formatInfotext(request, { ...extras, version: VERSION_TEXT });
  const json = JSON.stringify(metadataRequest(request));
  try {
    const { bytes, format } = await toRequestedFormat(engineOutput, engineFormat, request);
    const description: Record<string, string> = request.upscaled ? { Description: request.upscaled.note } : {};
    if (format === "png") return { bytes: replacePngText(bytes, { parameters: infotext, [JSON_KEYWORD]: json, ...description }), format, ...pngSize(bytes) };
    if (format === "jpeg") {
      const size = jpegSize(bytes) ?? { width: request.width, height: request.height };
      return { bytes: writeJpegMetadata(bytes, infotext, json), format, ...size };
    }
    const info = webpInfo(bytes);
    return {
      bytes: writeWebpMetadata(bytes, infotext, json),
      format,
      ...(info ? { width: info.width, height: info.height } : { width: request.width, height: request.height }),
    };
  } catch (err) {
    if (err instanceof ImageEncodeError) throw err;
    throw new InvalidOutputError(`the engine returned a damaged ${engineFormat} image: ${(err as Error).message}`);
  }
}

export interface OutputTemplates {
  folder: string;
  file: string;
}

/**
 * Where images wait, whole, between being written and being in the database:
 * `outputs/.incoming/<image id>.tmp`. A crash leaves them only here, where the
 * next start finishes or removes them (recoverIncoming), never half-written
 * under a real name nor a picture on disk that the database does not know.
 */
export function incomingDir(outputsDir: string): string {
  return join(outputsDir, ".incoming");
}

export interface StagedOutput {
  /** The whole image, under .incoming/. */
  tmp: string;
  /** Where it goes once its row is stored. */
  path: string;
}

/** Writes the image to .incoming/ and picks its final path under outputsDir (not taken yet). */
export function stageOutput(
  outputsDir: string,
  templates: OutputTemplates,
  image: EmbeddedImage,
  values: { date: Date; id: string; prompt: string; seed: number; index: number; imageId: string },
): StagedOutput {
  const folder = join(outputsDir, ...renderFolder(templates.folder, values));
  const base = renderFileName(templates.file, values);
  const ext = EXTENSIONS[image.format];
  let path = join(folder, `${base}.${ext}`);
  for (let i = 1; existsSync(path); i++) path = join(folder, `${base}-${i}.${ext}`);
  if (!isInside(outputsDir, path)) throw new InvalidOutputError("output path left the outputs folder");
  mkdirSync(incomingDir(outputsDir), { recursive: true });
  const tmp = join(incomingDir(outputsDir), `${values.imageId}.tmp`);
  writeFileSync(tmp, image.bytes);
  return { tmp, path };
}

/** Moves a staged image (whose row is stored) to its final name. */
export function commitOutput(staged: StagedOutput): void {
  mkdirSync(dirname(staged.path), { recursive: true });
  renameSync(staged.tmp, staged.path);
}

/**
 * After a crash: an image in .incoming/ whose row was stored goes to its final
 * name; one without a row (the crash came first) is removed. Returns the counts.
 */
export function recoverIncoming(outputsDir: string, pathOf: (imageId: string) => string | null): { finished: number; removed: number } {
  const dir = incomingDir(outputsDir);
  const counts = { finished: 0, removed: 0 };
  if (!existsSync(dir)) return counts;
  for (const name of readdirSync(dir)) {
    const tmp = join(dir, name);
    const path = name.endsWith(".tmp") ? pathOf(name.slice(0, -4)) : null;
    if (path && !existsSync(path) && isInside(outputsDir, path)) {
      commitOutput({ tmp, path });
      counts.finished++;
    } else {
      rmSync(tmp, { force: true });
      counts.removed++;
    }
  }
  return counts;
}
