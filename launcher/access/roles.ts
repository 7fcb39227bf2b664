/**
 * The role gate: what each route allows a guest is declared in one table
 * (route-roles.ts); a route missing from it is owner-only. The roles
 * themselves are decided in core/server/role.ts.
 */
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { Config } from "../../core/config/schema";
import { errorBody } from "../../core/server/errors";
import { ownerOnlyMessage, roleOf } from "../../core/server/role";
import { roleRuleFor, type RoleRule } from "./route-roles";

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
