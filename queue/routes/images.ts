/**
 * `GET /api/images/:id`: an image's bytes. Only files named by an images row
 * and lying inside the outputs folder are served (a row pointing elsewhere,
 * or a symlink out of it, is refused); incognito images come from memory.
 */
import { Hono } from "hono";
import { existsSync } from "node:fs";
import { realInside } from "../../launcher/files/inside";
import type { AppContext } from "../../launcher/server/context";
import { ApiError, notFound } from "../../launcher/server/errors";
import { MIME } from "../image-data";
import type { TaskQueue } from "../queue";

export function imageRoutes(ctx: AppContext, queue: TaskQueue) {
  return new Hono().get("/:id", (c) => {
    const id = c.req.param("id");
    const held = queue.incognito.fetch(id);
    if (held) return c.body(held.bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": MIME[held.record.format], "cache-control": "no-store" });
    const record = queue.store.image(id);
    if (!record?.path || !existsSync(record.path)) throw notFound(`image ${id}`);
    if (!realInside(ctx.paths.outputs, record.path)) throw new ApiError(403, "forbidden", `image ${id} is outside the outputs folder`);
    return new Response(Bun.file(record.path), {
      headers: { "content-type": MIME[record.format], "cache-control": "private, max-age=31536000, immutable" },
    });
  });
}
