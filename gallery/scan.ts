/**
 * Walking a folder into the index: every PNG/JPEG/WebP below it is read
 * (settings from the file and its sidecars), and every video the app saved
 * (a WebM or animated WebP with its sidecar JSON: video-entry.ts), unless the index already has it
 * at the same size and time; rows whose files are gone are dropped. Used by
 * import, by the start-up rescan of the outputs and imported folders, and to
 * rebuild a lost index. Files are only read, never changed. Symlinks are not
 * followed (a link loop or a link out of the folder is not the user's
 * picture). Yields to the event loop between batches so the app stays live.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isInside } from "../core/files/inside";
import type { GalleryIndex } from "./index-store";
import type { PictureRow } from "./picture-row";
import { MetadataTooLargeError } from "../pictures/limits";
import { PICTURE_EXTENSIONS, readPictureInfo } from "./picture-info";
import { readVideoInfo, VIDEO_EXTENSIONS } from "./video-entry";
import { NamedError } from "../core/server/errors";

export interface ScanProgress {
  root: string;
  done: number;
  total: number;
  added: number;
  removed: number;
  /** Files left out of the index, with the reason (a metadata bomb); the rest are indexed. */
  skipped: number;
  /** The first MAX_REPORTED_SKIPS of them. */
  problems: SkippedFile[];
}

export interface SkippedFile {
  path: string;
  reason: string;
}

const MAX_REPORTED_SKIPS = 20;

export interface ScanOptions {
  /** Folders never to walk into (the app's own cache). */
  exclude?: string[];
  onProgress?: (p: ScanProgress) => void;
  /** A file left out, with the reason (also counted in the progress). */
  onSkip?: (file: SkippedFile) => void;
  /** Files per batch between yields to the event loop. */
  batch?: number;
  /** A file newly indexed, and a row dropped because its file is gone (the Gallery keeps the video table in step). */
  onAdded?: (id: number, path: string) => void;
  onRemoved?: (row: PictureRow) => void;
}

/** Every picture and video file below `root` (no symlinks, no excluded folders). */
export function listPictures(root: string, exclude: string[] = []): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (!exclude.some((x) => x === path || isInside(x, path))) stack.push(path);
      } else if (e.isFile() && (PICTURE_EXTENSIONS.test(e.name) || VIDEO_EXTENSIONS.test(e.name))) out.push(path);
    }
  }
  return out;
}

/** Indexes one file (if it is a picture or a video); returns its id, or null. A file refused by the picture limits goes to `onSkip` with the reason. */
export function indexFile(index: GalleryIndex, root: string, path: string, created?: number, onSkip?: (file: SkippedFile) => void): number | null {
  let st;
  try {
    st = statSync(path);
  } catch {
    return null;
  }
  const known = index.known(path);
  if (known && known.file_size === st.size && known.mtime === Math.round(st.mtimeMs)) return known.id;
  const mtime = Math.round(st.mtimeMs);
  // A video is known by its sidecar (else by its own metadata), and placed at the time it was made.
  let video;
  try {
    video = VIDEO_EXTENSIONS.test(path) ? readVideoInfo(path) : null;
  } catch (err) {
    if (!(err instanceof MetadataTooLargeError)) throw err;
    onSkip?.({ path, reason: err.message });
    return null;
  }
  if (video) {
    const { created: made, ...info } = video;
    return index.put({ ...info, path, root, fileSize: st.size, mtime }, created ?? made);
  }
  if (!PICTURE_EXTENSIONS.test(path)) return null;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  let info;
  try {
    info = readPictureInfo(bytes, path);
  } catch (err) {
    if (!(err instanceof MetadataTooLargeError)) throw err;
    onSkip?.({ path, reason: err.message });
    return null;
  }
  if (!info) return null;
  return index.put({ ...info, path, root, fileSize: st.size, mtime }, created ?? mtime);
}

/** The folder to scan is gone or unreadable (an unplugged drive): its pictures stay indexed. */
export class ScanRootError extends NamedError {
  override name = "ScanRootError";
  override readonly code = "unreadable_folder";
  override readonly status = 500;
}

export async function scanFolder(index: GalleryIndex, root: string, options: ScanOptions = {}): Promise<ScanProgress> {
  try {
    readdirSync(root);
  } catch (err) {
    throw new ScanRootError(`cannot read ${root}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const files = listPictures(root, options.exclude);
  const progress: ScanProgress = { root, done: 0, total: files.length, added: 0, removed: 0, skipped: 0, problems: [] };
  const skip = (file: SkippedFile) => {
    progress.skipped++;
    if (progress.problems.length < MAX_REPORTED_SKIPS) progress.problems.push(file);
    options.onSkip?.(file);
  };
  const present = new Set(files);
  for (const path of index.pathsUnder(root)) {
    if (!present.has(path)) {
      const known = options.onRemoved && index.known(path);
      const row = known ? index.row(known.id) : null;
      index.removePath(path);
      if (row) options.onRemoved!(row);
      progress.removed++;
    }
  }
  const batch = options.batch ?? 200;
  for (let i = 0; i < files.length; i++) {
    const path = files[i]!;
    const had = index.known(path);
    const id = indexFile(index, root, path, undefined, skip);
    if (id !== null && !had) {
      progress.added++;
      options.onAdded?.(id, path);
    }
    progress.done = i + 1;
    if ((i + 1) % batch === 0) {
      options.onProgress?.({ ...progress, problems: [...progress.problems] });
      await new Promise((r) => setImmediate(r));
    }
  }
  options.onProgress?.({ ...progress, problems: [...progress.problems] });
  return progress;
}
