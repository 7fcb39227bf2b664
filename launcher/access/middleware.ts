/**
 * The LAN gate: every request from another machine needs the token (Bearer,
 * Basic or the session cookie), except the login page itself. Wrong tokens
 * are counted per address and refused with 429 past the limit. A browser
 * asking for a page without a session is sent to /login; API calls get 401.
 */
import type { Context, MiddlewareHandler } from "hono";
import { errorBody } from "../../core/server/errors";
import { isLoopback, peerAddress } from "../../core/server/role";
import { decideAccess } from "./credentials";
import type { FailureLimiter } from "./rate-limit";
import type { AccessToken } from "./token";

export function tooManyAttempts(c: Context, seconds: number) {
  c.header("retry-after", String(seconds));
  return c.json(errorBody("too_many_attempts", `too many wrong tokens from this address; try again in ${seconds} s`), 429);
}

export function lanGate(token: AccessToken, limiter: FailureLimiter): MiddlewareHandler {
  return async (c, next) => {
    const peer = peerAddress(c);
    if (isLoopback(peer) || c.req.path === "/login") return next();
    const blocked = limiter.blockedFor(peer!);
    if (blocked) return tooManyAttempts(c, blocked);
    const presented = { peer, authorization: c.req.header("authorization"), cookie: c.req.header("cookie") };
    const decision = decideAccess(presented, { token: token.value, session: token.session });
    if (decision.ok) return next();
    if (decision.presented) limiter.fail(peer!);
    if (c.req.method === "GET" && !c.req.path.startsWith("/api/") && (c.req.header("accept") ?? "").includes("text/html")) return c.redirect("/login", 303);
    c.header("www-authenticate", 'Bearer realm="Easy Diffusion"');
    const message =
      "this device needs the access token: open the link or QR code from Settings → Other devices " +
      "on the computer running Easy Diffusion, or send Authorization: Bearer <token>";
    return c.json(errorBody("unauthorized", message), 401);
  };
}
