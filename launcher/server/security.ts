/**
 * Local-only safety:
 * - Host: refuse requests whose Host is not a name of this machine (DNS rebinding).
 * - Origin: a state-changing request from a browser must come from the app
 *   itself: same scheme, a local host name and the SAME PORT as the request's
 *   Host. Any other local page (a dev server on localhost:3000, a notebook) is a
 *   stranger that must not change settings, start downloads or queue work.
 *   Without an Origin header, Fetch Metadata decides: only `same-origin` and
 *   `none` (typed in the address bar, or not a browser) pass; `same-site` is
 *   another port of the same host.
 * Origins listed in server.cors_origins are the exception: they may call the
 * API from a browser (CORS headers are sent for them only; other devices among
 * them still need the token).
 */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { isIPv6 } from "node:net";
import { errorBody } from "../../core/server/errors";

const LOCAL_NAMES = ["localhost", "127.0.0.1", "[::1]", "::1"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const DEFAULT_PORT: Record<string, string> = { "http:": "80", "https:": "443" };

/**
 * A Host value parsed strictly (RFC 3986 authority without userinfo): an IPv6
 * literal in brackets that node:net accepts, or a name / IPv4 address, each
 * with an optional port and nothing after it. Null for anything else, so
 * `[::1].evil.com` or `[::1]x:80` is not taken for `[::1]`.
 */
export function parseHost(host: string): { name: string; port: string } | null {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) {
    const m = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(h);
    return m && isIPv6(m[1]!) ? { name: `[${m[1]}]`, port: m[2] ?? "" } : null;
  }
  const m = /^([a-z0-9._~!$&'()*+,;=%-]+)(?::(\d{1,5}))?$/.exec(h);
  return m ? { name: m[1]!, port: m[2] ?? "" } : null;
}

/** The host name without its port; keeps IPv6 brackets; "" when the value is not a well-formed host. */
export function hostName(host: string): string {
  return parseHost(host)?.name ?? "";
}

/** The port of a Host header value, or "" when it names none (or is not well-formed). */
export function hostPort(host: string): string {
  return parseHost(host)?.port ?? "";
}

export function isAllowedHost(host: string | undefined, extra: string[]): boolean {
  if (!host) return false;
  const name = hostName(host);
  if (!name) return false;
  if (LOCAL_NAMES.includes(name) || name.endsWith(".localhost")) return true;
  return extra.some((e) => hostName(e) === name);
}

/**
 * True when `origin` is the app itself as reached through `host` (the request's
 * Host header) over `scheme`: the same scheme, an allowed name (localhost and
 * 127.0.0.1 are one machine) and the same port.
 */
export function isSameOrigin(origin: string, host: string, extra: string[], scheme = "http:"): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== scheme) return false;
  if (!isAllowedHost(url.host, extra)) return false;
  const originPort = url.port || DEFAULT_PORT[url.protocol]!;
  const appPort = hostPort(host) || DEFAULT_PORT[scheme]!;
  return originPort === appPort;
}

/** Why a state-changing request is refused, or null when it may go on. */
export function foreignRequest(
  headers: { origin?: string; host: string; scheme: string; fetchSite?: string },
  extra: string[],
  corsOrigins: string[] = [],
): string | null {
  if (headers.origin !== undefined) {
    if (corsOrigins.includes(headers.origin)) return null;
    // "null" comes from sandboxed frames and file:// pages: foreign by definition.
    return isSameOrigin(headers.origin, headers.host, extra, headers.scheme) ? null : `requests from ${headers.origin} are not allowed`;
  }
  if (headers.fetchSite === "cross-site" || headers.fetchSite === "same-site") return "requests from other sites or ports are not allowed";
  return null;
}

export function localOnly(allowedHosts: () => string[], corsOrigins: () => string[] = () => []): MiddlewareHandler {
  return async (c, next) => {
    const extra = allowedHosts();
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    if (!isAllowedHost(host, extra)) {
      return c.json(errorBody("forbidden_host", "this address is not allowed; open the app through localhost or 127.0.0.1"), 403);
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const scheme = new URL(c.req.url).protocol;
      const why = foreignRequest({ origin: c.req.header("origin"), host, scheme, fetchSite: c.req.header("sec-fetch-site") }, extra, corsOrigins());
      if (why) return c.json(errorBody("forbidden_origin", why), 403);
    }
    await next();
  };
}

/** CORS for the configured origins only (preflights answered before the token gate: browsers send no credentials on them). */
export function corsForListed(corsOrigins: () => string[]): MiddlewareHandler {
  const handler = cors({
    origin: (origin) => (corsOrigins().includes(origin) ? origin : null),
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    allowHeaders: ["content-type", "authorization"],
    maxAge: 600,
  });
  return (c, next) => {
    const origin = c.req.header("origin");
    return origin && corsOrigins().includes(origin) ? handler(c, next) : next();
  };
}
