/**
 * Response headers every answer carries (issue 26):
 * - `X-Content-Type-Options: nosniff` on everything: a browser takes each
 *   answer as the type it is served with, never a guess from its bytes.
 * - `Cross-Origin-Resource-Policy: same-origin` on everything: another site's
 *   page cannot load the app's pictures, files or JSON through <img>/<script>
 *   (CORS fetches by the listed origins are not affected by CORP).
 * - On HTML pages, `Content-Security-Policy: frame-ancestors 'none'` and
 *   `X-Frame-Options: DENY` (older browsers): no page may frame the app.
 */
import type { MiddlewareHandler } from "hono";

export const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "cross-origin-resource-policy": "same-origin",
};

export const HTML_HEADERS: Record<string, string> = {
  "content-security-policy": "frame-ancestors 'none'",
  "x-frame-options": "DENY",
};

function setAll(headers: Headers, values: Record<string, string>) {
  for (const [k, v] of Object.entries(values)) {
    const had = k === "content-security-policy" ? headers.get(k) : null;
    // A page's own policy is kept, with frame-ancestors added to it.
    headers.set(k, had ? (had.includes("frame-ancestors") ? had : `${had}; ${v}`) : v);
  }
}

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const html = (c.res.headers.get("content-type") ?? "").toLowerCase().startsWith("text/html");
    const apply = (headers: Headers) => {
      setAll(headers, SECURITY_HEADERS);
      if (html) setAll(headers, HTML_HEADERS);
    };
    try {
      apply(c.res.headers);
    } catch {
      // Headers of a response passed through unchanged are immutable: copy it.
      c.res = new Response(c.res.body, c.res);
      apply(c.res.headers);
    }
  };
}
