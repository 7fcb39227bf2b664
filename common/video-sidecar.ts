/**
 * The sidecar JSON beside a saved video (`<stem>.json`, written by video/save.ts): the video's
 * VideoRef fields, its task, prompt, model and family, and the request it was made with (pictures
 * left out). The Gallery reads it to find videos in the outputs folder (a rescan, a lost index) and
 * the video table is rebuilt from it on an undo. Browser-safe (zod only).
 */
import { z } from "zod";
import { VIDEO_FORMATS } from "./video-request";

/** Larger than any sidecar the app writes (the request without its pictures); a larger file is not read. */
export const MAX_VIDEO_SIDECAR_BYTES = 1 << 20;

export const videoSidecarSchema = z.looseObject({
  id: z.string().min(1).max(100),
  format: z.enum(VIDEO_FORMATS),
  width: z.number().int().positive().max(8192),
  height: z.number().int().positive().max(8192),
  fps: z.number().positive().max(1000),
  frame_count: z.number().int().positive().max(100_000),
  duration: z.number().nonnegative(),
  seed: z.number(),
  bytes: z.number().int().nonnegative(),
  converted_from: z.literal("avi").optional(),
  task_id: z.string().max(100),
  created: z.number().nonnegative(),
  prompt: z.string(),
  model: z.string(),
  family: z.string().nullable(),
  request: z.record(z.string(), z.unknown()),
});

export type VideoSidecar = z.infer<typeof videoSidecarSchema>;

/** A video file's companions: `<stem>.json` (the sidecar) and `<stem>.poster.png` (its first frame). */
export function videoCompanions(videoPath: string): { sidecar: string; poster: string } {
  const stem = videoPath.replace(/\.(webm|webp)$/i, "");
  return { sidecar: `${stem}.json`, poster: `${stem}.poster.png` };
}

/** The sidecar's JSON text as a VideoSidecar, or null when it is not one. */
export function parseVideoSidecar(text: string): VideoSidecar | null {
  try {
    const parsed = videoSidecarSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Our Matroska tag names in a WebM (pictures/metadata/webm.ts): the request JSON, as a WebP's XMP
 * `ed:request` carries it, and the video's own fields (`embeddedVideoFields`), as XMP `ed:video` does.
 */
export const WEBM_REQUEST_TAG = "EASY_DIFFUSION";
export const WEBM_VIDEO_TAG = "EASY_DIFFUSION_VIDEO";

/** What a video file carries of its sidecar besides the request, as JSON: all but `bytes` (the file's own size, which the metadata changes). */
export function embeddedVideoFields(fields: Omit<VideoSidecar, "request">): string {
  const { bytes: _bytes, ...rest } = fields;
  return JSON.stringify(rest);
}

/** The sidecar a video file's own metadata amounts to (its fields and request JSON, and the file's size); null when it is not ours. */
export function sidecarFromEmbedded(video: string | undefined, request: string | undefined, bytes: number): VideoSidecar | null {
  if (video === undefined || request === undefined) return null;
  try {
    return parseVideoSidecar(JSON.stringify({ ...JSON.parse(video), request: JSON.parse(request), bytes }));
  } catch {
    return null;
  }
}
