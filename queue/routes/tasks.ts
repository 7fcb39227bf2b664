/**
 * `/api/tasks`: submit (202 {id}), list, one task, cancel, retry.
 * Stopping a running task restarts the engine (sd-server cannot interrupt a
 * job); the cancel answer says so in `engineRestarted` and `message`.
 */
import { Hono } from "hono";
import type { AppContext } from "../../core/server/context";
import { z } from "zod";
import { badRequest, notFound, readJson, validationError } from "../../core/server/errors";
import type { TaskQueue } from "../queue";
import { imageRequestSchema, resolveRequest } from "../../common/image-request";
import { taskView } from "../view";

/** Any object: its fields are checked by imageRequestSchema, less `incognito`. */
const taskBodySchema = z.record(z.string(), z.unknown(), { error: "the request body must be a JSON object of image settings" });

export function taskRoutes(ctx: AppContext, queue: TaskQueue) {
  return new Hono()
    .post("/", async (c) => {
      const body = await readJson(c, taskBodySchema);
      const { incognito, ...fields } = body;
      if (incognito !== undefined && typeof incognito !== "boolean") throw badRequest("incognito: must be true or false");
      const parsed = imageRequestSchema.safeParse(fields);
      if (!parsed.success) throw validationError(parsed.error);
      const outputs = ctx.config.config.outputs;
      const request = resolveRequest(parsed.data, { format: outputs.format, quality: outputs.quality });
      const task = queue.submit(request, { incognito: incognito === true });
      return c.json({ id: task.id, seed: task.request.seed }, 202);
    })
    .get("/", (c) => {
      const limit = Math.min(500, Math.max(1, Number(c.req.query("limit") ?? 100) || 100));
      return c.json({ tasks: queue.list(limit).map((t) => taskView(queue, t)), status: queue.status() });
    })
    .get("/:id", (c) => {
      const task = queue.get(c.req.param("id"));
      if (!task) throw notFound(`task ${c.req.param("id")}`);
      return c.json(taskView(queue, task, { withImages: c.req.query("images") === "1" }));
    })
    .post("/:id/cancel", async (c) => {
      const { task, engineRestarted } = await queue.cancel(c.req.param("id"));
      const message = engineRestarted
        ? "The task was stopped by restarting the engine (sd-server cannot interrupt a running image); the next task starts once it is back."
        : task.state === "running"
          ? "The task will stop as soon as the engine has finished starting (it cannot be interrupted while it loads)."
          : "The task was removed from the queue.";
      return c.json({ ...taskView(queue, task), engineRestarted, message });
    })
    .post("/:id/retry", (c) => {
      const task = queue.retry(c.req.param("id"));
      return c.json({ id: task.id, seed: task.request.seed, retryOf: c.req.param("id") }, 202);
    });
}
