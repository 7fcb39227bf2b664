/**
 * `POST /api/tasks/remove` hides tasks from the lists (a waiting one is
 * cancelled) and answers an undo token; `POST /api/tasks/undo` brings them
 * back while the token is valid. See queue/removal.ts.
 */
import { Hono } from "hono";
import { z } from "zod";
import { badRequest, readJson } from "../../core/server/errors";
import type { TaskRemovals } from "../removal";

export const removeTasksSchema = z.strictObject({
  ids: z.array(z.string().min(1).max(64)).max(10_000).optional().describe("The tasks to remove (not a running one)"),
  finished: z.boolean().optional().describe("true: every finished task (Clear finished)"),
  delete_pictures: z.boolean().optional().describe("Also delete the pictures' files once the undo has expired (default: they stay on disk)"),
});

export const undoRemovalSchema = z.strictObject({ undo: z.string().min(1).max(64).describe("The token the removal answered") });

export function removalRoutes(removals: TaskRemovals) {
  return new Hono()
    .post("/remove", async (c) => {
      const body = await readJson(c, removeTasksSchema);
      if (!body.ids?.length && !body.finished) throw badRequest("send ids (the tasks to remove) or finished: true");
      return c.json(await removals.remove({ ids: body.ids, finished: body.finished, deletePictures: body.delete_pictures }));
    })
    .post("/undo", async (c) => {
      const { undo } = await readJson(c, undoRemovalSchema);
      return c.json({ restored: removals.undo(undo) });
    });
}
