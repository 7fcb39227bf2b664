/**
 * `/api/engine/engines`: the engines of this computer, one per GPU (pool.ts), and what each can be told.
 *   GET  /engines                 → {engines: [{id, label, mode, devices, state, model?, task, paused, memoryBytes?, …}]}
 *   POST /engines/:id/pause       → it takes no new task (its running task goes on); the view
 *   POST /engines/:id/resume      → it takes tasks again
 *   POST /engines/:id/restart     → restarts its sd-server with the same model set (a task on it fails: cancel it first)
 *   POST /engines/:id/stop        → stops its sd-server (the next task on it starts it again)
 *   GET  /engines/:id/logs        → {lines}: its own log (?lines=N for the last N), as GET /api/engine/logs for the first
 * A task's own cancel (POST /api/tasks/:id/cancel) ends only the engine running it.
 */
import { Hono } from "hono";
import { ApiError, NamedError } from "../../core/server/errors";
import type { EnginePool } from "./pool";

export class EngineNotFoundError extends NamedError {
  override name = "EngineNotFoundError";
  override readonly code = "engine_not_found";
  override readonly status = 404;
  constructor(id: string) {
    super(`no engine ${id} on this computer (GET /api/engine/engines lists them)`);
  }
}

/** `pool` null: an app without a pool (tests of the single engine) lists none. */
export function poolRoutes(pool: EnginePool | null) {
  const member = (id: string) => {
    const m = pool?.members().find((e) => e.id === id);
    if (!m) throw new EngineNotFoundError(id);
    return m;
  };
  const viewOf = (id: string) => pool!.view().find((v) => v.id === id);
  return new Hono()
    .get("/", (c) => c.json({ engines: pool?.view() ?? [] }))
    .get("/:id/logs", (c) => {
      const raw = c.req.query("lines");
      const lines = raw === undefined ? undefined : Number(raw);
      if (lines !== undefined && (!Number.isInteger(lines) || lines < 1)) throw new ApiError(400, "bad_request", "lines must be a positive whole number");
      return c.json({ lines: member(c.req.param("id")).engine.logs(lines) });
    })
    .post("/:id/pause", (c) => {
      pool!.setPaused(member(c.req.param("id")).id, true);
      return c.json(viewOf(c.req.param("id")));
    })
    .post("/:id/resume", (c) => {
      pool!.setPaused(member(c.req.param("id")).id, false);
      return c.json(viewOf(c.req.param("id")));
    })
    .post("/:id/restart", async (c) => {
      await member(c.req.param("id")).engine.restart();
      return c.json(viewOf(c.req.param("id")));
    })
    .post("/:id/stop", async (c) => {
      await member(c.req.param("id")).engine.stop();
      return c.json(viewOf(c.req.param("id")));
    });
}
