/**
 * `/api/gallery`: the picture list (search, filters, cursor paging), one
 * picture, its thumbnail and file, favourite, delete + undo, import of a
 * folder, export of a selection as a zip, and "show in folder". Files are
 * served only from the outputs folder and imported folders (`realInside`).
 */
import { dirname } from "node:path";
import { Hono } from "hono";
import { z } from "zod";
import { ApiError, badRequest, notFound, readJson } from "../../core/server/errors";
import { MIME, type ImageKind } from "../../common/image-data";
import { isServablePicture, OutsideFolderError, readServedPicture } from "../../pictures/served-file";
import type { Gallery } from "../gallery";
import { revealCommand, runOpener } from "../../core/system/opener";
import type { SearchFilters } from "../search-sql";
import { exportZip } from "../export-zip";
import { rangedFile } from "../../core/server/ranged";
import { videoOf } from "../picture-row";

const MAX_EXPORT = 10_000;

function idOf(raw: string): number {
  if (!/^\d{1,16}$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw notFound(`picture ${raw}`);
  return Number(raw);
}

const dateQuery = (v: string | undefined, name: string): number | undefined => {
  if (!v) return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) throw badRequest(`${name}: not a date`);
  return n;
};

export const idsSchema = z.object({ ids: z.array(z.number().int().nonnegative()).min(1).max(MAX_EXPORT) }).strict();
export const favouriteSchema = z.object({ favourite: z.boolean() }).strict();
export const importSchema = z.object({ folder: z.string().min(1).max(4096) }).strict();
export const undoSchema = z.object({ undo: z.string().min(1).max(100) }).strict();

function filtersOf(q: Record<string, string>): SearchFilters {
  return {
    q: q.q,
    model: q.model,
    lora: q.lora,
    sampler: q.sampler,
    size: q.size,
    from: dateQuery(q.from, "from"),
    to: dateQuery(q.to, "to"),
    favourites: q.favourites === "1" || q.favourites === "true",
    folder: q.folder,
    kind: kindQuery(q.kind),
    before: q.before,
  };
}

function kindQuery(v: string | undefined): SearchFilters["kind"] {
  if (!v) return undefined;
  if (v === "video" || v === "picture") return v;
  throw badRequest(`kind: "picture" or "video", not "${v}"`);
}

export function galleryRoutes(gallery: Gallery, options: { platform?: NodeJS.Platform } = {}) {
  return new Hono()
    .get("/", (c) => {
      const q = c.req.query();
      const limit = Math.min(500, Math.max(1, Number(q.limit ?? 100) || 100));
      const offset = Math.min(10_000_000, Math.max(0, Number(q.offset ?? 0) || 0));
      return c.json(gallery.index.search(filtersOf(q), limit, offset));
    })
    .get("/days", (c) => {
      const q = c.req.query();
      const tz = Math.max(-1440, Math.min(1440, Number(q.tz ?? 0) || 0));
      return c.json({ days: gallery.index.days(filtersOf(q), tz) });
    })
    .get("/lookup", (c) => {
      const id = gallery.pictureForImage(c.req.query("image") ?? "");
      if (id === null) throw notFound(`image ${c.req.query("image")}`);
      return c.json({ id });
    })
    .get("/facets", (c) => c.json({ ...gallery.index.facets(), count: gallery.index.count(), folders: gallery.roots() }))
    .post("/import", async (c) => {
      const { folder } = await readJson(c, importSchema);
      return c.json(gallery.importFolder(folder), 202);
    })
    .post("/rescan", (c) => {
      void gallery.rescanAll();
      return c.json({ folders: gallery.roots() }, 202);
    })
    .post("/export", async (c) => {
      const { ids } = await readJson(c, idsSchema);
      const rows = [];
      for (const id of ids) {
        const row = gallery.servable(id);
        // Only what is, now, the picture or video its row says (others are left out, not fatal).
        if (row && (videoOf(row) ? gallery.isServableVideo(row) : isServablePicture(row.path, gallery.roots(), row.format as ImageKind))) rows.push(row);
      }
      if (!rows.length) throw notFound("any of those pictures");
      const name = `easy-diffusion-${new Date().toISOString().slice(0, 10)}.zip`;
      return new Response(await exportZip(rows), { headers: { "content-type": "application/zip", "content-disposition": `attachment; filename="${name}"` } });
    })
    .post("/delete", async (c) => {
      const { ids } = await readJson(c, idsSchema);
      return c.json(gallery.delete(ids));
    })
    .post("/undo", async (c) => {
      const { undo } = await readJson(c, undoSchema);
      const ids = gallery.undo(undo);
      if (!ids) throw notFound(`deletion ${undo}`);
      return c.json({ restored: ids });
    })
    .get("/:id", (c) => {
      const picture = gallery.index.get(idOf(c.req.param("id")));
      if (!picture) throw notFound(`picture ${c.req.param("id")}`);
      return c.json(picture);
    })
    .patch("/:id", async (c) => {
      const { favourite } = await readJson(c, favouriteSchema);
      const id = idOf(c.req.param("id"));
      if (!gallery.index.setFavourite(id, favourite)) throw notFound(`picture ${id}`);
      return c.json(gallery.index.get(id));
    })
    .delete("/:id", (c) => {
      const id = idOf(c.req.param("id"));
      const result = gallery.delete([id]);
      if (!result.deleted.length) throw notFound(`picture ${id}`);
      return c.json(result);
    })
    .get("/:id/file", (c) => {
      const id = idOf(c.req.param("id"));
      const row = gallery.servable(id);
      const video = row && videoOf(row);
      if (row && video) {
        // Checked on the file as it is opened and served from it: inside a Gallery folder, and the video its sidecar says.
        const opened = gallery.openVideo(row);
        if (opened === "outside") throw new OutsideFolderError(`video ${id}`);
        if (!opened) throw notFound(`video ${id}`);
        const name = encodeURIComponent(row.path.split(/[\\/]/).pop()!);
        return rangedFile(c, opened, video.mime, c.req.query("download") === "1" ? { "content-disposition": `attachment; filename="${name}"` } : {});
      }
      // Checked again on the file as it is opened: inside a Gallery folder, and the picture the index says.
      const bytes = row && readServedPicture(row.path, gallery.roots(), `picture ${id}`, row.format as ImageKind);
      if (!row || !bytes) throw notFound(`picture ${id}`);
      const headers: Record<string, string> = {
        "content-type": MIME[row.format as ImageKind] ?? "application/octet-stream",
        "cache-control": "private, max-age=3600",
      };
      if (c.req.query("download") === "1")
        headers["content-disposition"] = `attachment; filename="${encodeURIComponent(row.path.split(/[\\/]/).pop()!)}"`;
      return new Response(bytes as Uint8Array<ArrayBuffer>, { headers });
    })
    .get("/:id/poster", (c) => {
      const id = idOf(c.req.param("id"));
      const row = gallery.servable(id);
      const poster = row && gallery.poster(row);
      const bytes = poster && readServedPicture(poster, gallery.roots(), `the poster of video ${id}`, "png");
      if (!bytes) throw notFound(`a poster frame of video ${id}`);
      return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": "image/png", "cache-control": "private, max-age=3600" } });
    })
    .get("/:id/thumb", async (c) => {
      const id = idOf(c.req.param("id"));
      const file = await gallery.thumbnail(id);
      if (!file) throw notFound(`picture ${id}`);
      return new Response(Bun.file(file), { headers: { "content-type": "image/webp", "cache-control": "private, max-age=300" } });
    })
    .post("/:id/reveal", async (c) => {
      const id = idOf(c.req.param("id"));
      const path = gallery.servable(id)?.path;
      if (!path) throw notFound(`picture ${id}`);
      // An opener that fails (no file manager, no display) opened nothing: say where the picture is instead.
      if (!(await runOpener(revealCommand(path, options.platform), 3000)))
        throw new ApiError(503, "no_file_manager", `No file manager could be opened here. The picture is in ${dirname(path)}`);
      return c.json({ ok: true });
    });
}
