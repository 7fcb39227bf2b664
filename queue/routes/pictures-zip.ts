/**
 * `GET /api/tasks/:id/pictures.zip`: every picture of a task in one zip,
 * streamed (yazl) and stored as they are (not recompressed), so each file
 * keeps its metadata. Names carry the picture's place in the task and its
 * seed (`1-seed1234.png`). Only files inside the outputs folder are read
 * and only pictures (`isServablePicture`); incognito tasks have no files and are refused.
 */
import { Hono } from "hono";
import { existsSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import { ZipFile } from "yazl";
import type { AppContext } from "../../core/server/context";
import { ApiError, notFound } from "../../core/server/errors";
import { isServablePicture } from "../../pictures/served-file";
import type { TaskQueue } from "../queue";
import type { ImageRecord } from "../task";

/** `1-seed1234.png`: the picture's place in the task (1-based) and its seed. */
export function zipEntryName(image: Pick<ImageRecord, "seed" | "format">, index: number): string {
  return `${index + 1}-seed${image.seed}.${image.format === "jpeg" ? "jpg" : image.format}`;
}

export function picturesZipRoutes(ctx: AppContext, queue: TaskQueue) {
  return new Hono().get("/:id/pictures.zip", (c) => {
    const id = c.req.param("id");
    const task = queue.get(id);
    if (!task) throw notFound(`task ${id}`);
    if (task.incognito) throw new ApiError(409, "incognito", "an incognito task's pictures are never written to disk: download them one by one");
    const files = queue
      .images(task)
      .map((image, index) => ({ image, index }))
      .filter(({ image }) => image.path && existsSync(image.path) && isServablePicture(image.path, [ctx.paths.outputs], image.format));
    if (!files.length) throw new ApiError(409, "no_pictures", `task ${id} has no pictures on disk`);
    const zip = new ZipFile();
    for (const { image, index } of files) zip.addFile(image.path!, zipEntryName(image, index), { compress: false, mtime: statSync(image.path!).mtime });
    zip.end();
    const body = Readable.toWeb(zip.outputStream as Readable) as unknown as ReadableStream<Uint8Array>;
    return c.body(body, 200, {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="pictures-${id}.zip"`,
      "cache-control": "no-store",
    });
  });
}
