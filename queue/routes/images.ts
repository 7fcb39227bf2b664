/**
 * `GET /api/images/:id`: an image's bytes. Only files named by an images row
 * and lying inside the outputs folder are served (a row pointing elsewhere,
 * or a symlink out of it, is refused, and so is a file whose bytes are not
 * the picture its record says: pictures/served-file.ts); incognito images come from memory.
 */
import { Hono } from "hono";
import type { AppContext } from "../../core/server/context";
import { notFound } from "../../core/server/errors";
import { readServedPicture } from "../../pictures/served-file";
import { MIME } from "../../common/image-data";
import type { TaskQueue } from "../queue";

export function imageRoutes(ctx: AppContext, queue: TaskQueue) {
  return new Hono().get("/:id", (c) => {
    const id = c.req.param("id");
    const held = queue.incognito.fetch(id);
    if (held) return c.body(held.bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": MIME[held.record.format], "cache-control": "no-store" });
    const record = queue.store.image(id);
    // Checked on the file as it is opened now: inside the outputs folder, and the picture its record says.
    const bytes = record?.path ? readServedPicture(record.path, [ctx.paths.outputs], `image ${id}`, record.format) : null;
    if (!record || !bytes) throw notFound(`image ${id}`);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": MIME[record.format], "cache-control": "private, max-age=31536000, immutable" });
  });
}
