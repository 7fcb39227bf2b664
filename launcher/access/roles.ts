/**
 * The two roles, decided here and nowhere else:
 * - owner: this computer. A request whose peer is a loopback address (the
 *   window, a browser or a script on this machine). In-process requests
 *   (`app.request()` in tests, which have no peer at all) are the owner too:
 *   they come from code running inside the app, and nothing that arrives over
 *   a network reaches the app without Bun giving its peer address.
 * - guest: any other device that passed the LAN gate with the token (session
 *   cookie, Bearer or Basic). It makes pictures; it does not change this computer.
 * What each route allows is declared in one table (route-roles.ts); a route
 * missing from it is owner-only.
 */
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { Config } from "../config/schema";
import { ApiError, errorBody } from "../server/errors";
import { isLoopback } from "./credentials";
import { peerAddress } from "./middleware";
import { roleRuleFor, type RoleRule } from "./route-roles";

export type Role = "owner" | "guest";

/** Pure: the role of a request that passed the LAN gate, from its peer address (undefined: in-process, the owner). */
export function roleOfPeer(peer: string | undefined): Role {
  return isLoopback(peer) ? "owner" : "guest";
}

export function roleOf(c: Context): Role {
  return roleOfPeer(peerAddress(c));
}

/** The sentence a guest gets for an owner action; `what` says the action ("install an engine"). */
export function ownerOnlyMessage(what: string): string {
  return `Only the computer running Easy Diffusion can do this: ${what}.`;
}

export function ownerOnly(what: string): ApiError {
  return new ApiError(403, "owner_only", ownerOnlyMessage(what));
}

/**
 * The route that will answer: the first matched route registered for a method
 * (middleware and catch-alls are registered for ALL), as "METHOD /path" the
 * way the app lists it (app.routes). Undefined when none does.
 */
export function answeringRoute(c: Context): string | undefined {
  const route = matchedRoutes(c).find((r) => r.method !== "ALL");
  return route ? `${route.method} ${route.path}` : undefined;
}

/** Pure apart from the guard: may a guest call `rule`'s route with this request? */
export async function guestMay(rule: RoleRule | undefined, c: Context, config: Config): Promise<boolean> {
  if (!rule) return false;
  if (rule.who === "guest") return true;
  return rule.guestIf ? await rule.guestIf(c, config) : false;
}

/**
 * After the LAN gate (every request here is the owner or a guest with the
 * token): a guest asking for an owner action gets 403 owner_only with what it
 * asked for; unclassified routes are owner-only.
 */
export function roleGate(config: () => Config): MiddlewareHandler {
  return async (c, next) => {
    if (roleOf(c) === "owner") return next();
    const route = answeringRoute(c);
    const rule = route ? roleRuleFor(route) : undefined;
    if (await guestMay(rule, c, config())) return next();
    return c.json(errorBody("owner_only", ownerOnlyMessage(rule?.what ?? "this request is not open to other devices")), 403);
  };
}
