/**
 * The Hono app: security first (Host/Origin, CORS, the LAN gate, body limits,
 * then owner or guest per route), then one sub-app per route file under /api,
 * then the embedded UI. Built from an injected context so tests drive it
 * with `app.request()`.
 */
import { Hono } from "hono";
import type { UiAsset } from "../../ui/dist/manifest";
import type { AppContext } from "../../core/server/context";
import { errorBody, NamedError, respondError } from "../../core/server/errors";
import { configRoutes } from "./routes/config";
import { eventRoutes } from "./routes/events";
import { healthRoutes } from "./routes/health";
import { uiStateRoutes } from "./routes/ui-state";
import { uiRoutes } from "./routes/ui";
import { lanAddresses } from "../access/addresses";
import { lanGate } from "../access/middleware";
import { FailureLimiter } from "../access/rate-limit";
import { roleGate } from "../access/roles";
import { lanEnabled, lanRoutes, loginRoutes, sessionRoutes } from "../access/routes";
import { AccessToken } from "../access/token";
import { bodyLimits } from "./body-limits";
import { securityHeaders } from "./headers";
import { corsForListed, localOnly } from "./security";

export interface AppOptions {
  /** Extra API sub-apps by mount path under /api (engine, tasks, …). */
  api?: Record<string, Hono>;
  ui?: Record<string, UiAsset>;
  /** Sub-apps mounted outside /api by full path (compatibility APIs such as /sdapi/v1 and /v1). */
  root?: Record<string, Hono>;
}

export function createApp(ctx: AppContext, options: AppOptions = {}) {
  const app = new Hono();
  const token = new AccessToken(ctx.paths.lanToken);
  const limiter = new FailureLimiter();
  // Host names: the local ones, the configured ones, and this machine's LAN names while other devices may connect.
  const corsOrigins = () => ctx.config.config.server.cors_origins;
  app.use("*", securityHeaders());
  app.use("*", localOnly(() => [...ctx.config.config.server.allowed_hosts, ...(lanEnabled(ctx.listening) ? lanAddresses().names : [])], corsOrigins));
  app.use("*", corsForListed(corsOrigins));
  app.use("*", lanGate(token, limiter));
  app.use("/api/*", bodyLimits());
  for (const path of Object.keys(options.root ?? {})) app.use(`${path}/*`, bodyLimits());
  // Owner or guest, per route (access/route-roles.ts); after the body limits, as it may read a small JSON body.
  app.use("*", roleGate(() => ctx.config.config));
  app.onError((err, c) => {
    // A named 4xx is the caller's to fix; a 5xx or an unnamed error is ours to look into.
    if (!(err instanceof NamedError) || err.status >= 500) ctx.log.error(`${c.req.method} ${c.req.path} failed`, { error: String(err) });
    return respondError(c, err);
  });

  const api = new Hono();
  api.route("/", healthRoutes());
  api.route("/config", configRoutes(ctx));
  api.route("/events", eventRoutes(ctx));
  api.route("/ui-state", uiStateRoutes(ctx));
  api.route("/lan", lanRoutes(token, () => ctx.listening));
  api.route("/session", sessionRoutes(() => ctx.config.config));
  for (const [path, sub] of Object.entries(options.api ?? {})) api.route(path, sub);
  api.all("*", (c) => c.json(errorBody("not_found", `no API route ${c.req.method} ${c.req.path}`), 404));
  app.route("/api", api);
  app.route("/login", loginRoutes(token, limiter));
  for (const [path, sub] of Object.entries(options.root ?? {})) app.route(path, sub);

  if (options.ui) app.route("/", uiRoutes(options.ui, () => ctx.config.config.ui));
  return app;
}
