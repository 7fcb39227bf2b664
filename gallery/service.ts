/**
 * The Gallery as an app service: opens the index (cache) with favourites and
 * imported folders in the app database, mounts /api/gallery, indexes each
 * picture the queue saves (`task.image`; incognito images have no file and
 * never arrive here) and each video (`task.finished`, asking the video table),
 * and rescans the outputs and imported folders in the
 * background once the server listens (files added or removed by hand, or a
 * lost index, come back from the files themselves).
 */
import { existsSync, renameSync } from "node:fs";
import { readEnv } from "../core/env";
import type { Logger } from "../core/log";
import type { AppContext } from "../core/server/context";
import type { Service, ServiceFactory } from "../core/services";
import { lazyRoutes, type RouteKey } from "../core/server/lazy-routes";
import "../queue/events";
import { Gallery, type GalleryVideoLink } from "./gallery";
import { GalleryIndex } from "./index-store";
import { ThumbnailMaker } from "./thumbnails";
import { trashLocation, type TrashLocation } from "./trash";

/** routes/gallery.ts's routes, listed before it loads on the first Gallery request (tests/gallery/route-table.test.ts). */
export const GALLERY_ROUTES: RouteKey[] = [
  "GET /", "GET /days", "GET /lookup", "GET /facets", "POST /import", "POST /rescan", "POST /export", "POST /delete",
  "POST /undo", "GET /:id", "PATCH /:id", "DELETE /:id", "GET /:id/file", "GET /:id/poster", "GET /:id/thumb", "POST /:id/reveal",
];

export interface GalleryServiceOptions {
  /** The file a queue image id was saved to (null for incognito or unknown ids). */
  imagePath: (imageId: string) => string | null | undefined;
  /** The video table (video/'s hub, tied by launcher/wiring.ts); without it the Gallery still finds videos by rescanning. */
  videos?: GalleryVideoLink;
  /** Where deleted pictures go; the system trash by default. */
  trash?: TrashLocation;
  /** Rescan the folders at start (default true). */
  rescanOnStart?: boolean;
  thumbnailWorkers?: number;
}

/**
 * Opens the index; one that cannot be opened (a damaged file) is moved aside
 * and started afresh: it is only derived data, and the rescan refills it.
 */
export function openIndex(file: string, appDatabase: string, log: Logger): GalleryIndex {
  try {
    const index = new GalleryIndex(file, appDatabase);
    index.count();
    return index;
  } catch (err) {
    log.warn(`gallery: the index could not be opened (${(err as Error).message}); rebuilding it from the pictures`);
    for (const suffix of ["", "-wal", "-shm"]) if (existsSync(file + suffix)) renameSync(file + suffix, `${file}.damaged${suffix}`);
    return new GalleryIndex(file, appDatabase);
  }
}

export function galleryService(options: GalleryServiceOptions): ServiceFactory {
  return (ctx: AppContext): Service & { gallery: Gallery } => {
    const index = openIndex(ctx.paths.galleryIndex, ctx.paths.database, ctx.log);
    const thumbnails = new ThumbnailMaker(ctx.paths.thumbnails, options.thumbnailWorkers ?? 2);
    const trash = options.trash ?? trashLocation(readEnv(), ctx.paths.galleryTrash);
    const gallery = new Gallery({
      index,
      thumbnails,
      trash,
      bus: ctx.bus,
      log: ctx.log,
      outputs: ctx.paths.outputs,
      // Never index our own cache, nor deleted pictures (an imported home folder holds the trash).
      exclude: [ctx.paths.cache, trash.dir],
      imagePath: options.imagePath,
      ...(options.videos ? { videos: options.videos } : {}),
    });
    const off = ctx.bus.on("task.image", ({ image }) => {
      const path = options.imagePath(image.id);
      if (path) gallery.addPicture(path);
    });
    // A video task's videos, once saved (a picture task has none).
    const offFinished = ctx.bus.on("task.finished", ({ id }) => gallery.addVideosOf(id));
    // The queue deleted a removed task's pictures (the user asked, and the undo expired).
    const offDeleted = ctx.bus.on("task.pictures_deleted", ({ paths }) => {
      for (const path of paths) index.removePath(path);
    });
    return {
      name: "gallery",
      gallery,
      routes: { "/gallery": lazyRoutes("/api/gallery", GALLERY_ROUTES, async () => (await import("./routes/gallery")).galleryRoutes(gallery)) },
      start: () => {
        if (options.rescanOnStart ?? true) void gallery.rescanAll();
      },
      stop: () => {
        off();
        offFinished();
        offDeleted();
        thumbnails.stop();
        index.close();
      },
    };
  };
}
