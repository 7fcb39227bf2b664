/**
 * `/api/engine`: the engine's state, its log, and the Engine tab's buttons.
 *   GET  /          → {state, variant, version, port, error?}
 *   GET  /logs      → {lines}  (?lines=N for the last N)
 *   POST /install   → installs (downloads) the best build if none is installed
 *   POST /restart   → restarts sd-server with the same model set
 *   POST /stop      → stops sd-server
 *   POST /import    → {path}: installs a local build folder or zip and runs it
 */
import { Hono } from "hono";
import { z } from "zod";
import { ApiError, readJson } from "../launcher/server/errors";
import { EngineFailure, type EngineManager } from "./manager";

const importSchema = z.object({ path: z.string().min(1).describe("A folder or zip holding sd-server") }).strict();

/** Engine failures become 4xx/5xx answers that carry the code and the hint. */
async function attempt<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const info = err instanceof EngineFailure ? err.info : (err as { info?: EngineFailure["info"] }).info;
    if (!info) throw err;
    const status = info.code === "NoCandidate" ? 409 : info.code === "ModelNotFound" ? 404 : 503;
    throw new ApiError(status, info.code, info.hint ? `${info.message} ${info.hint}` : info.message, info);
  }
}

export function engineRoutes(manager: EngineManager) {
  return new Hono()
    .get("/", (c) => c.json(manager.status()))
    .get("/logs", (c) => {
      const raw = c.req.query("lines");
      const lines = raw === undefined ? undefined : Number(raw);
      if (lines !== undefined && (!Number.isInteger(lines) || lines < 1)) throw new ApiError(400, "bad_request", "lines must be a positive whole number");
      return c.json({ lines: manager.logs(lines) });
    })
    .post("/install", async (c) => {
      const builds = await attempt(() => manager.install());
      return c.json({ ...manager.status(), builds: builds.map((b) => ({ tag: b.tag, variant: b.variant, backend: b.backend })) });
    })
    .post("/restart", async (c) => {
      await attempt(() => manager.restart());
      return c.json(manager.status());
    })
    .post("/stop", async (c) => {
      await manager.stop();
      return c.json(manager.status());
    })
    .post("/import", async (c) => {
      const { path } = await readJson(c, importSchema);
      const build = await attempt(() => manager.importBuild(path));
      return c.json({ build: { tag: build.tag, variant: build.variant, backend: build.backend, dir: build.dir }, status: manager.status() });
    });
}
