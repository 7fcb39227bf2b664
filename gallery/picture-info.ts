/**
 * What the Gallery knows of one picture file, read from the file itself
 * (the files are the truth): its size, and its settings from, in order, our
 * own JSON, a ComfyUI graph, A1111/Forge/sd.cpp infotext, ED3's PNG text
 * chunks, then ED3's `.json`/`.txt` sidecar next to it.
 */
import { existsSync, readFileSync } from "node:fs";
import type { ImageKind } from "../common/image-data";
import { jpegSize } from "../pictures/metadata/exif";
import { pngSize, readPngText } from "../pictures/metadata/png";
import { readImageMetadata } from "../pictures/metadata/read";
import type { MadeAs, Settings } from "../common/infotext-settings";
import { webpInfo } from "../pictures/metadata/webp";
import { MetadataTooLargeError } from "../pictures/limits";
import { comfyGraph, comfyToSettings } from "./comfyui";
import { ed3Keys, ed3ToSettings, looksLikeEd3, parseEd3Text } from "./ed3-sidecar";

export type PictureSource = "easy-diffusion" | "sdcpp" | "a1111" | "comfyui" | "ed3" | "none";

export interface PictureInfo {
  /** A picture's kind, or a video's container (video-entry.ts). */
  format: ImageKind | "webm";
  width: number;
  height: number;
  source: PictureSource;
  settings: GallerySettings;
}

/** A picture's settings as the Gallery keeps them: the request fields, and how it was made when the picture says. */
export type GallerySettings = Settings & { mode?: MadeAs };

export const PICTURE_EXTENSIONS = /\.(png|jpe?g|webp)$/i;

/**
 * A video's files in outputs/ (video/save.ts): an animated WebP (the VP8X header's animation flag), or a
 * video's poster frame `<name>.poster.png`. Not pictures: a video is indexed from its sidecar (video-entry.ts).
 */
export function isVideoFile(bytes: Uint8Array, path?: string): boolean {
  if (path && /\.poster\.png$/i.test(path)) return true;
  const riff = bytes.length >= 21 && String.fromCharCode(...bytes.subarray(0, 4)) === "RIFF" && String.fromCharCode(...bytes.subarray(8, 16)) === "WEBPVP8X";
  return riff && (bytes[20]! & 0x02) !== 0;
}

function dimensions(bytes: Uint8Array, format: ImageKind): { width: number; height: number } | null {
  try {
    if (format === "png") return pngSize(bytes);
    if (format === "jpeg") return jpegSize(bytes);
    const info = webpInfo(bytes);
    return info && { width: info.width, height: info.height };
  } catch {
    return null;
  }
}

/** ED3's sidecar for `path` (same name, .json or .txt), as settings. */
export function sidecarSettings(path: string): Settings | null {
  const stem = path.replace(/\.[^./\\]+$/, "");
  for (const ext of [".json", ".txt"]) {
    const file = stem + ext;
    if (!existsSync(file)) continue;
    try {
      const text = readFileSync(file, "utf8");
      const keys = ext === ".json" ? (JSON.parse(text) as Record<string, unknown>) : parseEd3Text(text);
      if (keys && typeof keys === "object" && looksLikeEd3(keys)) return ed3ToSettings(keys);
    } catch {
      // A broken sidecar is no settings, not a broken picture.
    }
  }
  return null;
}

function pngExtras(bytes: Uint8Array): { source: PictureSource; settings: Settings } | null {
  let text: Record<string, string>;
  try {
    text = readPngText(bytes);
  } catch (err) {
    if (err instanceof MetadataTooLargeError) throw err;
    return null;
  }
  const graph = comfyGraph(text);
  if (graph) return { source: "comfyui", settings: comfyToSettings(graph) };
  const ed3 = ed3Keys(text);
  if (looksLikeEd3(ed3)) return { source: "ed3", settings: ed3ToSettings(ed3) };
  return null;
}

/**
 * Reads a picture's info; null when the bytes are not a PNG, JPEG or WebP.
 * `path` finds sidecars. MetadataTooLargeError for a metadata bomb (the caller skips the file with that reason).
 */
export function readPictureInfo(bytes: Uint8Array, path?: string): PictureInfo | null {
  if (isVideoFile(bytes, path)) return null;
  let meta;
  try {
    meta = readImageMetadata(bytes);
  } catch (err) {
    if (err instanceof MetadataTooLargeError) throw err;
    return null;
  }
  let source: PictureSource = meta.source;
  // How it was made goes beside the settings, for the viewer ("img2img · strength 0.75").
  let settings: GallerySettings = meta.mode ? { ...meta.settings, mode: meta.mode } : meta.settings;
  if (source === "none" && meta.format === "png") {
    const extra = pngExtras(bytes);
    if (extra) ({ source, settings } = extra);
  }
  if (source === "none" && path) {
    const side = sidecarSettings(path);
    if (side) [source, settings] = ["ed3", side];
  }
  const size = dimensions(bytes, meta.format) ?? { width: settings.width ?? 0, height: settings.height ?? 0 };
  return { format: meta.format, ...size, source, settings };
}
