/** The Gallery's API (/api/gallery) as the UI uses it, with its types and the download of an export. */
import { api } from "../../api/http";

// The server's own types (a type-only import: nothing of the server goes into the bundle).
export type { PictureDetail, PictureSummary } from "../../../../gallery/picture-row";
import type { PictureDetail, PictureSummary } from "../../../../gallery/picture-row";
import type { Facets as IndexFacets } from "../../../../gallery/index-store";
import type { VideoFormat } from "../../../../common/video-request";
import type { GalleryKind } from "./kind-query";
import type { VideoInfo } from "../video/video-api";

export interface Filters {
  q?: string;
  model?: string;
  lora?: string;
  sampler?: string;
  size?: string;
  from?: string;
  to?: string;
  favourites?: boolean;
  folder?: string;
  /** Only videos, or only pictures (both when absent). */
  kind?: GalleryKind;
}

/** GET /api/gallery/facets: the index's facets and how many pictures it holds. */
export type Facets = IndexFacets & { count: number };

/** The query string of filters (dates as local days: `to` includes its whole day). */
export function filterQuery(f: Filters, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === "" || v === false) continue;
    if (k === "from") p.set("from", String(new Date(`${v}T00:00:00`).getTime()));
    else if (k === "to") p.set("to", String(new Date(`${v}T00:00:00`).getTime() + 86_400_000));
    else p.set(k, v === true ? "1" : String(v));
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) p.set(k, String(v));
  return p.toString();
}

/** What the shell hands the Gallery: show one picture (from an Image tab's "Open in gallery"). */
export interface GalleryMessage {
  kind: "gallery-show";
  imageId: string;
}

/** Hands a Blob to the browser as a download. */
export function saveBlob(blob: Blob, name: string) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

export const thumbUrl = (id: number) => `/api/gallery/${id}/thumb`;
export const fileUrl = (id: number) => `/api/gallery/${id}/file`;
export const posterUrl = (id: number) => `/api/gallery/${id}/poster`;

/** A Gallery video as the player and the video viewer take it: played from the Gallery's own routes. */
export function videoInfoOf(p: PictureDetail): VideoInfo | null {
  const v = p.video;
  if (!v) return null;
  const format = p.format as VideoFormat;
  return {
    id: v.video_id,
    url: fileUrl(p.id),
    poster_url: v.poster ? posterUrl(p.id) : thumbUrl(p.id),
    format,
    mime: v.mime as VideoInfo["mime"],
    width: p.width,
    height: p.height,
    fps: v.fps,
    frame_count: v.frame_count,
    duration: v.duration,
    seed: p.seed ?? 0,
    bytes: v.bytes,
    ...(v.converted_from ? { converted_from: v.converted_from } : {}),
    task_id: v.task_id,
    created: p.created,
    prompt: p.prompt,
    model: String(p.settings.model ?? p.model ?? ""),
    family: v.family,
    request: p.settings as Record<string, unknown>,
  };
}

export const galleryApi = {
  page: (f: Filters, extra: { before?: string; offset?: number; limit?: number }) =>
    api<{ items: PictureSummary[]; next: string | null }>(`/api/gallery?${filterQuery(f, extra)}`),
  days: (f: Filters, before?: string) =>
    api<{ days: { day: number; count: number }[] }>(`/api/gallery/days?${filterQuery(f, { before, tz: new Date().getTimezoneOffset() })}`),
  facets: () => api<Facets>("/api/gallery/facets"),
  detail: (id: number) => api<PictureDetail>(`/api/gallery/${id}`),
  favourite: (id: number, favourite: boolean) => api<PictureDetail>(`/api/gallery/${id}`, { method: "PATCH", json: { favourite } }),
  remove: (ids: number[]) => api<{ undo: string; deleted: number[] }>("/api/gallery/delete", { method: "POST", json: { ids } }),
  undo: (undo: string) => api<{ restored: number[] }>("/api/gallery/undo", { method: "POST", json: { undo } }),
  importFolder: (folder: string) => api<{ folder: string }>("/api/gallery/import", { method: "POST", json: { folder } }),
  reveal: (id: number) => api<{ ok: true }>(`/api/gallery/${id}/reveal`, { method: "POST" }),
  lookup: (imageId: string) => api<{ id: number }>(`/api/gallery/lookup?image=${encodeURIComponent(imageId)}`),
  /** The zip of a selection, as a Blob. */
  async exportZip(ids: number[]): Promise<Blob> {
    const res = await fetch("/api/gallery/export", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ids }) });
    if (!res.ok) throw new Error(`export failed (${res.status})`);
    return res.blob();
  },
  /** The zip of a selection, handed to the browser as a download named for today. */
  saveZip: async (ids: number[]) => saveBlob(await galleryApi.exportZip(ids), `easy-diffusion-${new Date().toISOString().slice(0, 10)}.zip`),
};
