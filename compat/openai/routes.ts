/** All OpenAI-compatible routes, mounted at /v1 (compat/service.ts); unknown paths answer OpenAI's 404 shape. */
import { Hono } from "hono";
import type { CompatDeps } from "../deps";
import { editRoutes } from "./edits";
import { generationRoutes } from "./generations";
import { modelListRoutes } from "./models";
import { variationRoutes } from "./variations";

export function openaiRoutes(deps: CompatDeps) {
  return new Hono()
    .route("/", generationRoutes(deps))
    .route("/", editRoutes(deps))
    .route("/", variationRoutes(deps))
    .route("/", modelListRoutes(deps))
    .all("*", (c) =>
      c.json(
        { error: { message: `Unknown request URL: ${c.req.method} ${c.req.path}`, type: "invalid_request_error", param: null, code: "unknown_url" } },
        404,
      ),
    );
}
