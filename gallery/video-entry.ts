/**
 * A video in the outputs folder as the Gallery indexes it: the file (a WebM, or an animated WebP)
 * is known by its sidecar JSON (`<stem>.json`, common/video-sidecar.ts), which says when it was
 * made, how long it lasts and the request it was made with; its poster frame (`<stem>.poster.png`)
 * is its thumbnail. Only the file's first bytes are read (to check it is the video its sidecar says).
 * A video of ours copied without its sidecar is known by the same fields in its own metadata
 * (pictures/video-metadata.ts: a WebM's tags, walked to a header at a time; a WebP's XMP, the file read whole, bounded).
 */
import { closeSync, existsSync, openSync } from "node:fs";
import { readHead } from "../core/files/open-inside";
import { videoCompanions } from "../common/video-sidecar";
import { VIDEO_MIME } from "../common/video-request";
import { isEbml } from "../pictures/metadata/webm";
import { readVideoSidecar } from "../pictures/video-metadata";
import { isVideoFile, type GallerySettings, type PictureInfo } from "./picture-info";

export const VIDEO_EXTENSIONS = /\.(webm|webp)$/i;

/** What the index keeps of a video (the row's `video` column, JSON). */
export interface GalleryVideo {
  /** Its id in the video table (GET /api/videos/:id). */
  video_id: string;
  task_id: string;
  mime: string;
  fps: number;
  frame_count: number;
  duration: number;
  bytes: number;
  family: string | null;
  converted_from?: "avi";
  /** The poster frame's file (absent when the first frame could not be decoded). */
  poster?: string;
  sidecar: string;
}

export type VideoInfo = PictureInfo & { format: "webm" | "webp"; video: GalleryVideo; created: number };

/** A file's first 32 bytes say it is a video of this format: WebM's EBML magic, or a WebP with the animation flag. */
export const headIsVideo = (bytes: Uint8Array, format: "webm" | "webp"): boolean => (format === "webp" ? isVideoFile(bytes) : isEbml(bytes));

/** The file's first bytes say it is a video of this format. */
export function sniffsAsVideo(path: string, format: "webm" | "webp"): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    return headIsVideo(readHead(fd, 32), format);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The video at `path`, from its sidecar, else from its own metadata; null when neither is ours (a
 * picture, or a file the app did not make). MetadataTooLargeError (the scan skips the file with that reason).
 */
export function readVideoInfo(path: string): VideoInfo | null {
  const { sidecar, poster } = videoCompanions(path);
  const s = readVideoSidecar(path)?.sidecar;
  if (!s || !path.toLowerCase().endsWith(`.${s.format}`) || !sniffsAsVideo(path, s.format)) return null;
  // The request's fields are the image request's where they mean the same (prompt, model, seed, sampler, LoRAs…).
  const settings = { ...s.request, prompt: s.prompt, model: s.model, seed: s.seed } as GallerySettings;
  const video: GalleryVideo = {
    video_id: s.id,
    task_id: s.task_id,
    mime: VIDEO_MIME[s.format],
    fps: s.fps,
    frame_count: s.frame_count,
    duration: s.duration,
    bytes: s.bytes,
    family: s.family,
    ...(s.converted_from ? { converted_from: s.converted_from } : {}),
    ...(existsSync(poster) ? { poster } : {}),
    sidecar,
  };
  return { format: s.format, width: s.width, height: s.height, source: "easy-diffusion", settings, video, created: s.created };
}
