/**
 * The saved videos' API as the Gallery and the Video tab use it
 * (video/README.md): the list newest first with a search, one video's info
 * with the request it was made with, and deleting one. Queueing a video is
 * the queue store's (`submit(body, "/api/videos")`). Typed with the shared
 * `VideoRef` (common/video-request.ts, a type-only import).
 */
import type { VideoRef } from "../../../../common/video-request";
import { api } from "../../api/http";

export type { VideoRef };

/** A listed video: its file and where it came from. */
export type VideoListing = VideoRef & { task_id: string; created: number; prompt: string; model: string; family: string | null };
/** One video's info: the listing and the request it was made with. */
export type VideoInfo = VideoListing & { request: Record<string, unknown> };

export const PAGE_SIZE = 60;
const enc = encodeURIComponent;

export const videoApi = {
  list: (q: string, before?: string) =>
    api<{ videos: VideoListing[] }>(`/api/videos?${new URLSearchParams({ q, limit: String(PAGE_SIZE), ...(before ? { before } : {}) })}`),
  info: (id: string) => api<VideoInfo>(`/api/videos/${enc(id)}/info`),
  remove: (id: string) => api<{ deleted: string[] }>(`/api/videos/${enc(id)}`, { method: "DELETE" }),
};

/** "2.1 s", "1 min 4 s": a video's length on its thumbnail. */
export function durationText(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "";
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
