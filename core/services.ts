/**
 * Long-running parts of the app (engine manager, queue, stats sampler, …)
 * plug in here. Each gets the app context at start, may add API routes, and
 * is stopped in reverse order on shutdown.
 */
import type { Hono } from "hono";
import type { AppContext } from "./server/context";

export interface Service {
  name: string;
  /** API sub-apps this service mounts under /api, by path. */
  routes?: Record<string, Hono>;
  /** Sub-apps mounted outside /api, by full path (e.g. "/sdapi/v1" for A1111 clients); same security middleware. */
  rootRoutes?: Record<string, Hono>;
  /** Called once the server listens. */
  start?(info: { url: string }): Promise<void> | void;
  stop?(): Promise<void> | void;
}

export type ServiceFactory = (ctx: AppContext) => Service | Promise<Service>;
