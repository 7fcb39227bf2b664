/**
 * Saves one finished video: the container (WebM with our request in its
 * Matroska tags, or animated WebP with it in its XMP chunk), its poster frame (PNG) and a sidecar JSON
 * (`<name>.json`: the VideoRef, the video request without its pictures, the
 * app version) under outputs/ with the pictures' folder and file templates,
 * and its `videos` row. Files are written as `.part`, the row stored, then
 * the files renamed: a crash leaves a `.part` at worst, never a video the app
 * does not know. An incognito task's video stays in memory.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isInside } from "../core/files/inside";
import { VERSION } from "../core/version";
import type { VideoFamilyId } from "../common/video-families";
import type { VideoFormat, VideoRequest } from "../common/video-request";
import { embeddedVideoFields, WEBM_REQUEST_TAG, WEBM_VIDEO_TAG, type VideoSidecar } from "../common/video-sidecar";
import { withXmp } from "../pictures/animated-webp";
import { withWebmTags } from "../pictures/metadata/webm";
import type { OutputTemplates } from "../queue/outputs";
import { renderFileName, renderFolder } from "../queue/templates";
import { newId, type Task } from "../queue/task";
import { VideoOutputError } from "./errors";
import { videoItem, type VideoRecord, type VideoStore } from "./store";

/** A video as the engine (and the conversion) made it. */
export interface MadeVideo {
  bytes: Uint8Array;
  format: VideoFormat;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  /** The first frame, PNG; null when it could not be had (a WebM whose first frame is not VP8). */
  poster: Uint8Array | null;
  convertedFrom?: "avi";
}

export interface HeldVideo {
  record: VideoRecord;
  bytes: Uint8Array;
  poster: Uint8Array | null;
}

export interface VideoSaveDeps {
  outputs: string;
  templates: OutputTemplates;
  store: VideoStore;
  /** Incognito videos, by id. */
  memory: Map<string, HeldVideo>;
}

/** The request as the sidecar and the XMP chunk keep it: pictures left out (they can be megabytes each). */
export function settingsOf(r: VideoRequest): Omit<VideoRequest, "start_image" | "end_image" | "control_frames"> & { control_frames: number } {
  const { start_image: _s, end_image: _e, control_frames, ...rest } = r;
  return { ...rest, control_frames: control_frames.length };
}

export function saveVideo(deps: VideoSaveDeps, task: Task, made: MadeVideo, r: VideoRequest & { seed: number }, family: VideoFamilyId | null): VideoRecord {
  const created = Date.now();
  const record: VideoRecord = {
    id: newId("v"),
    taskId: task.id,
    format: made.format,
    width: made.width,
    height: made.height,
    fps: made.fps,
    frameCount: made.frameCount,
    seed: r.seed,
    bytes: made.bytes.length,
    ...(made.convertedFrom ? { convertedFrom: made.convertedFrom } : {}),
    created,
    prompt: r.prompt,
    model: r.model,
    family,
  };
  const settings = JSON.stringify({ ...settingsOf(r), app: `Easy Diffusion ${VERSION}` });
  const bytes = withSettings(made, settings, embeddedVideoFields(videoItem(record)));
  record.bytes = bytes.length;
  if (task.incognito) {
    deps.memory.set(record.id, { record, bytes, poster: made.poster });
    return record;
  }
  const values = { date: new Date(created), id: task.id, prompt: r.prompt, seed: r.seed, index: 0 };
  const folder = join(deps.outputs, ...renderFolder(deps.templates.folder, values));
  const base = renderFileName(deps.templates.file, values);
  let stem = join(folder, base);
  for (let i = 1; existsSync(`${stem}.${made.format}`) || existsSync(`${stem}.json`); i++) stem = join(folder, `${base}-${i}`);
  const path = `${stem}.${made.format}`;
  if (!isInside(deps.outputs, path)) throw new VideoOutputError("the video's path left the outputs folder");
  const files: [string, Uint8Array | string][] = [[path, bytes]];
  const poster = made.poster ? `${stem}.poster.png` : undefined;
  if (poster) files.push([poster, made.poster!]);
  const sidecar = `${stem}.json`;
  const saved: VideoRecord = { ...record, path, ...(poster ? { poster } : {}), sidecar };
  const side: VideoSidecar = { ...videoItem(saved), request: JSON.parse(settings) as Record<string, unknown> };
  files.push([sidecar, `${JSON.stringify(side, null, 2)}\n`]);
  mkdirSync(folder, { recursive: true });
  for (const [file, data] of files) writeFileSync(`${file}.part`, data);
  deps.store.insert(saved);
  // The video last: a Gallery scan that finds it finds its sidecar and poster too (not the file alone).
  for (const [file] of files.reverse()) renameSync(`${file}.part`, file);
  return saved;
}

/**
 * The video with our settings in it: a WebP's XMP chunk, a WebM's Matroska tags (appended to its
 * Segment). A WebM that cannot take them without moving anything is kept as the engine made it
 * (the sidecar and the database still hold its settings).
 */
function withSettings(made: MadeVideo, settings: string, fields: string): Uint8Array {
  if (made.format === "webp") return withXmp(made.bytes, settings, fields);
  return withWebmTags(made.bytes, { [WEBM_REQUEST_TAG]: settings, [WEBM_VIDEO_TAG]: fields }) ?? made.bytes;
}
