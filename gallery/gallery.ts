/**
 * The Gallery: the index, the folders it covers (the outputs folder plus
 * folders the user imported), thumbnails, deletion with undo, and the
 * hand-off from the generate pipeline. Routes (routes/gallery.ts) only
 * translate HTTP to these calls.
 */
import { closeSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { EventBus } from "../core/events/bus";
import { isInside, realInside } from "../core/files/inside";
import type { Logger } from "../core/log";
import "./events";
import type { GalleryIndex } from "./index-store";
import { videoOf, type PictureRow } from "./picture-row";
import { indexFile, scanFolder } from "./scan";
import { headIsVideo, sniffsAsVideo } from "./video-entry";
import { openInside, readHead, readRange, type OpenedInside } from "../core/files/open-inside";
import type { ThumbnailMaker } from "./thumbnails";
import { moveToTrash, restoreFromTrash, type TrashedFile, type TrashLocation } from "./trash";
import { NamedError } from "../core/server/errors";

/** How much of a video the Gallery reads for its first frame (a thumbnail for a video without its poster). */
const FRAME_READ_MAX = 64 * 1024 * 1024;

export class NotAFolderError extends NamedError {
  override name = "NotAFolderError";
  override readonly code = "not_a_folder";
  override readonly status = 400;
}

export class OutsideFoldersError extends NamedError {
  override name = "OutsideFoldersError";
  override readonly code = "forbidden";
  override readonly status = 403;
}

export interface GalleryDeps {
  index: GalleryIndex;
  thumbnails: ThumbnailMaker;
  trash: TrashLocation;
  bus: EventBus;
  log: Logger;
  outputs: string;
  /** Folders never walked (the app's cache). */
  exclude: string[];
  /** The file a queue image id was saved to (null for incognito or unknown ids). */
  imagePath?: (imageId: string) => string | null | undefined;
  /** The video table (video/), kept in step by the composition root. */
  videos?: GalleryVideoLink;
}

/**
 * What the Gallery needs of the video table (launcher/wiring.ts ties it to video/'s hub): the files a
 * finished task saved, and that a video it trashed leaves the table (`/api/videos`) and comes back on undo.
 */
export interface GalleryVideoLink {
  savedPaths(taskId: string): string[];
  /** `videoPath`: the file that went (a copy of a video, with the same id, leaves the original's row alone). */
  removed(videoId: string, videoPath: string): void;
  restored(videoPath: string): void;
}

interface TrashRecord {
  id: number;
  file: TrashedFile;
  root: string;
  /** A video's poster and sidecar, moved with it (put back first: the sidecar makes it a video). */
  companions?: TrashedFile[];
  videoId?: string;
}

export class Gallery {
  #scans = new Map<string, Promise<void>>();

  constructor(readonly deps: GalleryDeps) {}

  get index(): GalleryIndex {
    return this.deps.index;
  }

  /** Folders whose pictures may be served: the outputs folder and every imported one. */
  roots(): string[] {
    return [this.deps.outputs, ...this.index.folders()];
  }

  /** The picture's row, if its file is still inside one of the Gallery's folders (symlinks resolved). */
  servable(id: number): PictureRow | null {
    const row = this.index.row(id);
    if (!row || !existsSync(row.path)) return null;
    if (!this.roots().some((root) => realInside(root, row.path))) throw new OutsideFoldersError(`picture ${id} is outside the Gallery's folders`);
    return row;
  }

  /** A picture the app just saved: indexed at once, announced to the UI. */
  addPicture(path: string): number | null {
    if (!isInside(this.deps.outputs, path)) return null;
    const id = indexFile(this.index, this.deps.outputs, path);
    if (id !== null) this.deps.bus.publish("gallery.added", { id });
    return id;
  }

  /** The picture a queue image became (for "open in gallery" from an Image tab), indexing it if needed. */
  pictureForImage(imageId: string): number | null {
    const path = imageId ? this.deps.imagePath?.(imageId) : null;
    if (!path) return null;
    return this.index.known(path)?.id ?? this.addPicture(path);
  }

  /** Starts indexing a folder in place (remembered for later rescans). Returns at once; progress goes to the bus. */
  importFolder(folder: string): { folder: string } {
    const abs = resolve(folder);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new NotAFolderError(`${folder} does not exist`);
    }
    if (!st.isDirectory()) throw new NotAFolderError(`${folder} is not a folder`);
    if (abs !== resolve(this.deps.outputs)) this.index.addFolder(abs);
    void this.scan(abs);
    return { folder: abs };
  }

  /** Rescans one folder (one scan per folder at a time); resolves when done. */
  scan(root: string): Promise<void> {
    const running = this.#scans.get(root);
    if (running) return running;
    const bus = this.deps.bus;
    const job = scanFolder(this.index, root, {
      exclude: this.deps.exclude,
      onSkip: (f) => this.deps.log.warn(`gallery: skipped ${f.path}: ${f.reason}`),
      onProgress: (p) => bus.publish("gallery.import", { folder: root, ...p, finished: false }),
      onAdded: (id) => this.#videoFound(id),
      onRemoved: (row) => this.#videoGone(row),
    })
      .then((p) => void bus.publish("gallery.import", { folder: root, ...p, finished: true }))
      .catch((err: Error) => {
        this.deps.log.warn(`gallery: scanning ${root} failed: ${err.message}`);
        bus.publish("gallery.import", { folder: root, done: 0, total: 0, added: 0, removed: 0, skipped: 0, problems: [], finished: true, error: err.message });
      })
      .finally(() => this.#scans.delete(root));
    this.#scans.set(root, job);
    return job;
  }

  /** Rescans every folder: new files are added, changed ones re-read, vanished ones dropped. */
  async rescanAll(): Promise<void> {
    for (const root of this.roots()) if (existsSync(root)) await this.scan(root);
  }

  /**
   * Moves the pictures to the trash; returns the token that undoes it. Every
   * picture is checked before any is moved, and what was moved is recorded
   * even if a later move fails, so nothing leaves without its way back.
   */
  delete(ids: number[]): { undo: string; deleted: number[] } {
    const rows = ids.map((id) => this.servable(id)).filter((r): r is PictureRow => !!r);
    const records: TrashRecord[] = [];
    const undo = crypto.randomUUID();
    try {
      for (const row of rows) {
        const record: TrashRecord = { id: row.id, file: moveToTrash(row.path, this.deps.trash), root: row.root };
        records.push(record);
        this.index.remove(row.id);
        const video = videoOf(row);
        if (!video) continue;
        Object.assign(record, { videoId: video.video_id, companions: [] });
        this.#trashCompanions(row, [video.sidecar, video.poster], record.companions!);
        this.deps.videos?.removed(video.video_id, row.path);
      }
    } finally {
      if (records.length) this.index.saveTrash(undo, records);
    }
    const deleted = records.map((r) => r.id);
    this.deps.bus.publish("gallery.removed", { ids: deleted, undo });
    return { undo, deleted };
  }

  /** Puts the pictures of a deletion back; returns their new ids (null when nothing to undo). */
  undo(token: string): number[] | null {
    const records = this.index.takeTrash<TrashRecord[]>(token);
    if (!records) return null;
    const ids: number[] = [];
    for (const r of records) {
      try {
        for (const c of r.companions ?? []) restoreFromTrash(c);
        restoreFromTrash(r.file);
      } catch (err) {
        this.deps.log.warn(`gallery: could not restore ${r.file.original}: ${(err as Error).message}`);
        continue;
      }
      const id = indexFile(this.index, r.root, r.file.original);
      if (id !== null) {
        ids.push(id);
        this.deps.bus.publish("gallery.added", { id });
      }
      if (r.videoId) this.deps.videos?.restored(r.file.original);
    }
    return ids;
  }

  /** The video table follows the outputs' files: a video a rescan finds there is in it (from its sidecar)… */
  #videoFound(id: number) {
    const row = this.index.row(id);
    if (row && videoOf(row) && isInside(this.deps.outputs, row.path)) this.deps.videos?.restored(row.path);
  }

  /** …and one whose files were deleted by hand leaves it. */
  #videoGone(row: PictureRow) {
    const video = videoOf(row);
    if (video && isInside(this.deps.outputs, row.path)) this.deps.videos?.removed(video.video_id, row.path);
  }

  /** A video's companion files, to the trash beside it (those inside the row's folder that exist), each recorded as it goes. */
  #trashCompanions(row: PictureRow, files: (string | undefined)[], into: TrashedFile[]): void {
    for (const f of files) if (f && existsSync(f) && realInside(row.root, f)) into.push(moveToTrash(f, this.deps.trash));
  }

  /** The videos a finished task saved, indexed at once. */
  addVideosOf(taskId: string): void {
    for (const path of this.deps.videos?.savedPaths(taskId) ?? []) this.addPicture(path);
  }

  /** The picture's thumbnail; a video's is made from its poster frame, or without one (copied alone) from its first frame. */
  async thumbnail(id: number): Promise<string | null> {
    const row = this.servable(id);
    if (!row) return null;
    const poster = this.poster(row);
    if (poster === undefined) return this.deps.thumbnails.thumbnail(row);
    if (!poster) return this.#firstFrameThumbnail(row);
    const st = statSync(poster);
    return this.deps.thumbnails.thumbnail({ path: poster, file_size: st.size, mtime: Math.round(st.mtimeMs) });
  }

  /** The video's first frame kept as a still under the thumbnails (read from the checked file, at most FRAME_READ_MAX). */
  async #firstFrameThumbnail(row: PictureRow): Promise<string | null> {
    const format = row.format as "webm" | "webp";
    const still = join(this.deps.thumbnails.dir, "frames", `${row.id}-${row.mtime}.webp`);
    if (!existsSync(still)) {
      const { firstFrameStill } = await import("../pictures/webm-frame"); // loaded for the first such video, not at start
      const opened = this.openVideo(row);
      if (!opened || opened === "outside") return null;
      // A WebM's first frame lies near its start; an animated WebP's chunks are read whole.
      if (format === "webp" && opened.size > FRAME_READ_MAX) return (closeSync(opened.fd), null);
      const frame = firstFrameStill(readRange(opened.fd, 0, Math.min(opened.size, FRAME_READ_MAX) - 1), format);
      if (!frame) return null;
      mkdirSync(dirname(still), { recursive: true });
      writeFileSync(still, frame);
    }
    return this.deps.thumbnails.thumbnail({ path: still, file_size: row.file_size, mtime: row.mtime });
  }

  /** A video's file as it is served or exported: inside a Gallery folder, and the video its sidecar says. */
  isServableVideo(row: PictureRow): boolean {
    return this.roots().some((root) => realInside(root, row.path)) && sniffsAsVideo(row.path, row.format as "webm" | "webp");
  }

  /**
   * A video's file opened to serve it, checked on the open file (core/files/open-inside.ts): inside a Gallery
   * folder and the video its record says. Null when missing or no such video; "outside" when it resolves outside.
   */
  openVideo(row: PictureRow): OpenedInside {
    const opened = openInside(row.path, this.roots());
    if (!opened || opened === "outside") return opened;
    if (headIsVideo(readHead(opened.fd, 32), row.format as "webm" | "webp")) return opened;
    closeSync(opened.fd);
    return null;
  }

  /** A video's poster file (null when it has none, or it left the Gallery's folders); undefined for a picture. */
  poster(row: PictureRow): string | null | undefined {
    const video = videoOf(row);
    if (!video) return undefined;
    return video.poster && existsSync(video.poster) && this.roots().some((root) => realInside(root, video.poster!)) ? video.poster : null;
  }
}
