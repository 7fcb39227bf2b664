/**
 * The Hono app: security first, then one sub-app per route file under /api,
 * then the embedded UI. Built from an injected context so tests drive it
 * with `app.request()`.
 */
import { Hono } from "hono";
import type { UiAsset } from "../../ui/dist/manifest";
import type { AppContext } from "./context";
import { errorBody, respondError } from "./errors";
import { configRoutes } from "./routes/config";
import { eventRoutes } from "./routes/events";
import { healthRoutes } from "./routes/health";
import { uiStateRoutes } from "./routes/ui-state";
import { uiRoutes } from "./routes/ui";
import { bodyLimits } from "./body-limits";
import { localOnly } from "./security";

export interface AppOptions {
  /** Extra API sub-apps by mount path under /api (engine, tasks, …). */
  api?: Record<string, Hono>;
  ui?: Record<string, UiAsset>;
}

export function createApp(ctx: AppContext, options: AppOptions = {}) {
  const app = new Hono();
  app.use("*", localOnly(() => ctx.config.config.server.allowed_hosts));
  app.use("/api/*", bodyLimits());
  app.onError((err, c) => {
    if (!(err instanceof Error && err.name === "ApiError")) ctx.log.error(`${c.req.method} ${c.req.path} failed`, { error: String(err) });
    return respondError(c, err);
  });

  const api = new Hono();
  api.route("/", healthRoutes());
  api.route("/config", configRoutes(ctx));
  api.route("/events", eventRoutes(ctx));
  api.route("/ui-state", uiStateRoutes(ctx));
  for (const [path, sub] of Object.entries(options.api ?? {})) api.route(path, sub);
  api.all("*", (c) => c.json(errorBody("not_found", `no API route ${c.req.method} ${c.req.path}`), 404));
  app.route("/api", api);

  if (options.ui) app.route("/", uiRoutes(options.ui));
  return app;
}
