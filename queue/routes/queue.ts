/**
 * `/api/queue`: the queue's status, `PATCH {order?, paused?}` to reorder or
 * pause/resume it, and `GET /api/queue/recent-sizes`: the sizes of the newest
 * tasks, most recent first (the Image tab's size field offers them), and
 * `GET /api/queue/memory-levels`: the GPU memory use remembered per model
 * after running out of memory (the Model Browser shows it).
 */
import { Hono } from "hono";
import { z } from "zod";
import { readJson } from "../../core/server/errors";
import type { TaskQueue } from "../queue";

export const queuePatchSchema = z.strictObject({
  /** Queued task ids to put first, in this order. */
  order: z.array(z.string().min(1).max(64)).max(10_000).optional(),
  paused: z.boolean().optional(),
});

export function queueRoutes(queue: TaskQueue) {
  return new Hono()
    .get("/", (c) => c.json(queue.status()))
    .get("/recent-sizes", (c) => {
      const limit = Math.min(50, Math.max(1, Number(c.req.query("limit") ?? 12) || 12));
      return c.json({ sizes: queue.store.recentSizes(limit) });
    })
    .get("/memory-levels", (c) => c.json({ levels: queue.opts.memory?.list() ?? [] }))
    .patch("/", async (c) => {
      const patch = await readJson(c, queuePatchSchema);
      if (patch.order) queue.reorder(patch.order);
      if (patch.paused !== undefined) queue.setPaused(patch.paused);
      return c.json({ ...queue.status(), order: queue.list(10_000).filter((t) => t.state === "queued").map((t) => t.id) });
    });
}
