/**
 * `/api/workers`: the other computers working for this one. Listing shows each
 * with its state and reason, never its token; adding (a login link, or an
 * address and token) checks it at once and answers with what the check
 * found (the same address again: its new token replaces the old); removing
 * takes it off the queue's executors (a task it runs
 * finishes there). All of it changes this computer: the owner's only
 * (launcher/access/route-roles.ts).
 */
import { Hono } from "hono";
import { z } from "zod";
import { readJson } from "../core/server/errors";
import type { WorkerBoard } from "./board";
import { parseWorkerLink } from "./link";

export const addWorkerSchema = z.strictObject({
  /** The login link from the other computer's Settings → Other devices (or its QR code). */
  link: z.string().max(2000).optional(),
  /** Or its address and token apart. */
  url: z.string().max(2000).optional(),
  token: z.string().max(300).optional(),
  /** What to call it here (default: its host name). */
  name: z.string().max(100).optional(),
});

export const workersPatchSchema = z.strictObject({
  /** Let workers download model files a task needs from where they came from (the catalogue, Civitai). */
  download_missing: z.boolean().optional(),
});

export interface WorkerRoutesDeps {
  board: WorkerBoard;
  /** Puts a worker on the queue's executors (added) or takes it off (removed). */
  added(id: string): void;
  removed(id: string): void;
}

export function workerRoutes(d: WorkerRoutesDeps) {
  const store = d.board.o.store;
  const view = () => ({ download_missing: store.downloadMissing, workers: d.board.views() });
  return new Hono()
    .get("/", (c) => c.json(view()))
    .post("/", async (c) => {
      const body = await readJson(c, addWorkerSchema);
      const entry = store.add(parseWorkerLink(body), body.name);
      // A new token for a worker already here (its token changed there): its client is made again with it.
      if (entry.replaced) d.board.forget(entry.id);
      await d.board.check(entry.id);
      d.added(entry.id);
      return c.json(d.board.views().find((w) => w.id === entry.id), entry.replaced ? 200 : 201);
    })
    .patch("/", async (c) => {
      const patch = await readJson(c, workersPatchSchema);
      if (patch.download_missing !== undefined) store.downloadMissing = patch.download_missing;
      return c.json(view());
    })
    .post("/:id/check", async (c) => {
      store.get(c.req.param("id"));
      await d.board.check(c.req.param("id"));
      return c.json(d.board.views().find((w) => w.id === c.req.param("id")));
    })
    .delete("/:id", (c) => {
      const id = c.req.param("id");
      store.remove(id);
      d.removed(id);
      d.board.forget(id);
      return c.json({ removed: id });
    });
}
