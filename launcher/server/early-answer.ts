/**
 * What the server answers in the few milliseconds between listening and
 * having read its config (issue 19: health first): GET /api/health and
 * /api/version, to this computer only — a loopback peer that names a
 * loopback host with this port and sends no Origin. Everything else waits
 * for the app, whose gates decide. The port before the config is read comes
 * from a YAML-only look at config.yaml, read the way the schema reads
 * `server.port` (an integer 1–65535, else the default); the start listens
 * again if the validated config wants another port or host.
 */
import { isLoopback } from "../../core/server/role";
import { versionInfo } from "../../core/version";
import { SECURITY_HEADERS } from "./headers";

/** config.yaml's `server.port` default (core/config/schema.ts; tests/launcher/start.test.ts checks they agree). */
export const DEFAULT_PORT = 9000;

export function peekPort(configYaml: unknown): number {
  const server = configYaml && typeof configYaml === "object" ? (configYaml as { server?: unknown }).server : undefined;
  const port = server && typeof server === "object" ? (server as { port?: unknown }).port : undefined;
  return typeof port === "number" && Number.isInteger(port) && port >= 1 && port <= 65535 ? port : DEFAULT_PORT;
}

/** The answer to a request that comes before the config is read, or undefined: it waits for the app. */
export function earlyAnswer(req: Request, peer: string | undefined, port: number): Response | undefined {
  if (req.method !== "GET" || peer === undefined || !isLoopback(peer) || req.headers.has("origin")) return undefined;
  const host = req.headers.get("host");
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}` && host !== `[::1]:${port}`) return undefined;
  const path = new URL(req.url).pathname;
  const body = path === "/api/health" ? { status: "ok" } : path === "/api/version" ? versionInfo() : undefined;
  return body && Response.json(body, { headers: SECURITY_HEADERS });
}
