/** `GET /api/models`: model files of every kind, as paths relative to the kind's folder. */
import { Hono } from "hono";
import type { AppContext } from "../../launcher/server/context";
import { listModels } from "../models";

export function modelRoutes(ctx: AppContext) {
  return new Hono().get("/", (c) => c.json({ root: "models", kinds: listModels(ctx.paths) }));
}
