/** The Gallery's picture as the index holds it and as the API sends it. */
import type { MadeAs, Settings } from "../common/infotext-settings";
import type { PictureInfo, PictureSource } from "./picture-info";

/** One file to index: where it is, what it is. */
export interface PictureEntry extends PictureInfo {
  path: string;
  /** The folder it was found under: the outputs folder or an imported one. */
  root: string;
  fileSize: number;
  mtime: number;
}

/** A grid cell. */
export interface PictureSummary {
  id: number;
  created: number;
  width: number;
  height: number;
  format: string;
  prompt: string;
  favourite: boolean;
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
}

export const toSummary = (r: Pick<PictureRow, "id" | "created" | "width" | "height" | "format" | "prompt" | "favourite">): PictureSummary => ({
  id: r.id,
  created: r.created,
  width: r.width,
  height: r.height,
  format: r.format,
  prompt: r.prompt.length > 300 ? `${r.prompt.slice(0, 300)}…` : r.prompt,
  favourite: !!r.favourite,
});

export function toDetail(r: PictureRow): PictureDetail {
  return {
    ...toSummary(r),
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
  };
}

/** The model's file name without folders or extension, as filters show it. */
export function modelLabel(model: string | undefined): string | null {
  if (!model) return null;
  return (model.split(/[\\/]/).pop() ?? model).replace(/\.(safetensors|ckpt|gguf|pt|pth|bin)$/i, "") || null;
}
