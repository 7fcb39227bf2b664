/**
 * Local-only safety: refuse requests whose Host is not a name of this
 * machine (DNS rebinding) and state-changing requests from a foreign Origin
 * (so a web page in the user's browser cannot queue work or change settings).
 * No CORS headers are ever sent.
 */
import type { MiddlewareHandler } from "hono";
import { errorBody } from "./errors";

const LOCAL_NAMES = ["localhost", "127.0.0.1", "[::1]", "::1"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host name without its port; keeps IPv6 brackets. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  return h.replace(/:\d+$/, "");
}

export function isAllowedHost(host: string | undefined, extra: string[]): boolean {
  if (!host) return false;
  const name = hostName(host);
  if (LOCAL_NAMES.includes(name) || name.endsWith(".localhost")) return true;
  return extra.some((e) => hostName(e) === name);
}

export function isAllowedOrigin(origin: string, extra: string[]): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && isAllowedHost(url.host, extra);
  } catch {
    return false;
  }
}

export function localOnly(allowedHosts: () => string[]): MiddlewareHandler {
  return async (c, next) => {
    const extra = allowedHosts();
    if (!isAllowedHost(c.req.header("host") ?? new URL(c.req.url).host, extra)) {
      return c.json(errorBody("forbidden_host", "this address is not allowed; open the app through localhost or 127.0.0.1"), 403);
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header("origin");
      // "null" comes from sandboxed frames and file:// pages: foreign by definition.
      if (origin !== undefined && !isAllowedOrigin(origin, extra)) {
        return c.json(errorBody("forbidden_origin", `requests from ${origin} are not allowed`), 403);
      }
      if (origin === undefined && c.req.header("sec-fetch-site") === "cross-site") {
        return c.json(errorBody("forbidden_origin", "cross-site requests are not allowed"), 403);
      }
    }
    await next();
  };
}
