import { Hono } from "hono";
import { versionInfo } from "../../../core/version";

/** `GET /api/health` and `GET /api/version`: cheap liveness and build facts. */
export function healthRoutes() {
  return new Hono()
    .get("/health", (c) => c.json({ status: "ok" }))
    .get("/version", (c) => c.json(versionInfo()));
}
