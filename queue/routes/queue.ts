/** `/api/queue`: the queue's status, and `PATCH {order?, paused?}` to reorder or pause/resume it. */
import { Hono } from "hono";
import { z } from "zod";
import { readJson } from "../../launcher/server/errors";
import type { TaskQueue } from "../queue";

export const queuePatchSchema = z.strictObject({
  /** Queued task ids to put first, in this order. */
  order: z.array(z.string().min(1).max(64)).max(10_000).optional(),
  paused: z.boolean().optional(),
});

export function queueRoutes(queue: TaskQueue) {
  return new Hono()
    .get("/", (c) => c.json(queue.status()))
    .patch("/", async (c) => {
      const patch = await readJson(c, queuePatchSchema);
      if (patch.order) queue.reorder(patch.order);
      if (patch.paused !== undefined) queue.setPaused(patch.paused);
      return c.json({ ...queue.status(), order: queue.list(10_000).filter((t) => t.state === "queued").map((t) => t.id) });
    });
}
