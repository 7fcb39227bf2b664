/** The Gallery's picture as the index holds it and as the API sends it. */
import type { MadeAs, Settings } from "../common/infotext-settings";
import type { PictureInfo, PictureSource } from "./picture-info";
import type { GalleryVideo } from "./video-entry";

/** One file to index: where it is, what it is. */
export interface PictureEntry extends PictureInfo {
  path: string;
  /** The folder it was found under: the outputs folder or an imported one. */
  root: string;
  fileSize: number;
  mtime: number;
  /** A video (video-entry.ts): what its sidecar says. */
  video?: GalleryVideo;
}

/** A video's play mark and length on its grid cell. */
export interface VideoSummary {
  mime: string;
  fps: number;
  frame_count: number;
  duration: number;
}

/** A video in the viewer: its summary, its id in the video table, how it was made. */
export type VideoDetail = VideoSummary & Pick<GalleryVideo, "video_id" | "task_id" | "bytes" | "family" | "converted_from"> & { poster: boolean };

/** A grid cell. */
export interface PictureSummary {
  id: number;
  created: number;
  width: number;
  height: number;
  format: string;
  prompt: string;
  favourite: boolean;
  /** Only for a video (its format is its container: webm, or webp animated). */
  video?: VideoSummary;
}

/** The viewer's picture. */
export interface PictureDetail extends PictureSummary {
  name: string;
  path: string;
  folder: string;
  source: PictureSource;
  negative: string;
  model: string | null;
  sampler: string | null;
  seed: number | null;
  loras: string[];
  settings: Settings & { mode?: MadeAs };
  video?: VideoDetail;
}

export interface PictureRow {
  id: number;
  path: string;
  root: string;
  file_size: number;
  mtime: number;
  created: number;
  width: number;
  height: number;
  format: string;
  source: PictureSource;
  prompt: string;
  negative: string;
  model: string | null;
  sampler: string | null;
  seed: number | null;
  loras: string;
  settings: string;
  favourite: number;
  /** GalleryVideo as JSON; null for a picture. */
  video: string | null;
}

/** The row's video, if it is one. */
export const videoOf = (r: Pick<PictureRow, "video">): GalleryVideo | null => (r.video ? (JSON.parse(r.video) as GalleryVideo) : null);

export function toSummary(r: Pick<PictureRow, "id" | "created" | "width" | "height" | "format" | "prompt" | "favourite" | "video">): PictureSummary {
  const v = videoOf(r);
  return {
    id: r.id,
    created: r.created,
    width: r.width,
    height: r.height,
    format: r.format,
    prompt: r.prompt.length > 300 ? `${r.prompt.slice(0, 300)}…` : r.prompt,
    favourite: !!r.favourite,
    ...(v ? { video: { mime: v.mime, fps: v.fps, frame_count: v.frame_count, duration: v.duration } } : {}),
  };
}

function videoDetail(v: GalleryVideo): VideoDetail {
  const { video_id, task_id, mime, fps, frame_count, duration, bytes, family, converted_from } = v;
  return { video_id, task_id, mime, fps, frame_count, duration, bytes, family, ...(converted_from ? { converted_from } : {}), poster: !!v.poster };
}

export function toDetail(r: PictureRow): PictureDetail {
  const { video: _summary, ...summary } = toSummary(r);
  return {
    ...summary,
    prompt: r.prompt,
    name: r.path.split(/[\\/]/).pop() ?? r.path,
    path: r.path,
    folder: r.root,
    source: r.source,
    negative: r.negative,
    model: r.model,
    sampler: r.sampler,
    seed: r.seed,
    loras: JSON.parse(r.loras) as string[],
    settings: JSON.parse(r.settings) as Settings,
    ...(r.video ? { video: videoDetail(JSON.parse(r.video) as GalleryVideo) } : {}),
  };
}

/** The model's file name without folders or extension, as filters show it. */
export function modelLabel(model: string | undefined): string | null {
  if (!model) return null;
  return (model.split(/[\\/]/).pop() ?? model).replace(/\.(safetensors|ckpt|gguf|pt|pth|bin)$/i, "") || null;
}
