/**
 * What a video file says of itself: the sidecar its own metadata amounts to (common/video-sidecar.ts),
 * read from a WebM's Matroska tags (metadata/webm.ts) or an animated WebP's XMP (animated-webp.ts).
 * For a video found without its sidecar JSON (only the file copied), and for reading the request
 * back out of a file.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import {
  MAX_VIDEO_SIDECAR_BYTES,
  parseVideoSidecar,
  sidecarFromEmbedded,
  videoCompanions,
  WEBM_REQUEST_TAG,
  WEBM_VIDEO_TAG,
  type VideoSidecar,
} from "../common/video-sidecar";
import type { VideoFormat } from "../common/video-request";
import { animatedWebpInfo } from "./animated-webp";
import type { Settings } from "../common/infotext-settings";
import { settingsFromJson } from "./metadata/read";
import { MetadataTooLargeError } from "./limits";
import { readWebmTags, readWebmTagsFromFile } from "./metadata/webm";

/** An animated WebP larger than this is not read for its metadata (the app's own are tens of MB at most); a WebM is walked, not read. */
export const MAX_VIDEO_METADATA_FILE_BYTES = 256 * 1024 * 1024;

/** Our request JSON and the video's own fields (JSON) in the file, each absent when it has none. MetadataTooLargeError for a Tags bomb. */
export function videoMetadata(bytes: Uint8Array, format: VideoFormat): { request?: string; video?: string } {
  if (format === "webm") {
    const tags = readWebmTags(bytes);
    return { request: tags[WEBM_REQUEST_TAG], video: tags[WEBM_VIDEO_TAG] };
  }
  const info = animatedWebpInfo(bytes);
  return { request: info?.json, video: info?.video };
}

/**
 * A WebM's settings as POST /api/metadata/parse answers for a picture (an animated WebP's come from its
 * XMP that way): our request's fields that are the image request's. MetadataTooLargeError for a Tags bomb.
 */
export function webmSettings(bytes: Uint8Array): { format: "webm"; source: "easy-diffusion" | "none"; settings: Settings } {
  const json = videoMetadata(bytes, "webm").request;
  const settings = json === undefined ? null : settingsFromJson(json);
  return settings ? { format: "webm", source: "easy-diffusion", settings } : { format: "webm", source: "none", settings: {} };
}

/** The sidecar the file's own metadata amounts to; null when it carries none of ours (or says another format). */
export function embeddedSidecar(bytes: Uint8Array, format: VideoFormat): VideoSidecar | null {
  return asSidecar(videoMetadata(bytes, format), bytes.length, format);
}

function asSidecar(m: { request?: string; video?: string }, size: number, format: VideoFormat): VideoSidecar | null {
  const s = sidecarFromEmbedded(m.video, m.request, size);
  return s && s.format === format ? s : null;
}

/** The sidecar file's video, or null when there is none (or it is not one). */
function sidecarFile(sidecar: string): VideoSidecar | null {
  try {
    if (!existsSync(sidecar) || statSync(sidecar).size > MAX_VIDEO_SIDECAR_BYTES) return null;
    return parseVideoSidecar(readFileSync(sidecar, "utf8"));
  } catch {
    return null;
  }
}

/** Our metadata in the video file at `path` and the file's size: a WebM's tags read a header at a time, a WebP read whole (bounded). */
function fileMetadata(path: string, format: VideoFormat): { request?: string; video?: string; size: number } | null {
  const size = statSync(path).size;
  if (format === "webm") {
    const tags = readWebmTagsFromFile(path);
    return { request: tags[WEBM_REQUEST_TAG], video: tags[WEBM_VIDEO_TAG], size };
  }
  return size > MAX_VIDEO_METADATA_FILE_BYTES ? null : { ...videoMetadata(readFileSync(path), format), size };
}

/**
 * The video at `path` as its sidecar JSON says (`from: "sidecar"`), else as its own metadata does
 * (`from: "file"`); null when neither is ours. MetadataTooLargeError (422) for a metadata bomb in the file.
 */
export function readVideoSidecar(path: string): { sidecar: VideoSidecar; from: "sidecar" | "file" } | null {
  const side = sidecarFile(videoCompanions(path).sidecar);
  if (side) return { sidecar: side, from: "sidecar" };
  const format = /\.webm$/i.test(path) ? "webm" : /\.webp$/i.test(path) ? "webp" : null;
  let m;
  try {
    m = format && fileMetadata(path, format);
  } catch (err) {
    if (err instanceof MetadataTooLargeError) throw err;
    return null; // gone or unreadable: not a video of ours now
  }
  const own = m && asSidecar(m, m.size, format!);
  return own ? { sidecar: own, from: "file" } : null;
}
