/**
 * A sub-app whose routes are known at start but whose modules load on the
 * first request: the app registers one light stand-in handler per route, so
 * the role gate (which reads the matched route) and the route table see every
 * route, and the first call imports the real sub-app and hands the request on.
 * Used for route families most sessions never call (the A1111/OpenAI APIs):
 * their schemas and handlers stay out of memory until a client asks.
 */
import { Hono, type Context } from "hono";

/** "METHOD /path" relative to the mount path, as the real sub-app registers it (its `routes`, ALL entries left out). */
export type RouteKey = `${string} /${string}`;

/** The real sub-app's routes as keys, catch-alls and middleware (ALL) left out: what a lazy table must equal. */
export function routeKeys(app: Hono): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`))];
}

/**
 * The server (Bun's, as the app's env) with its per-request methods (`requestIP`, `timeout`) answering for the
 * original request: a re-made one is unknown to it, and a peer address that reads as missing would count as this
 * computer (core/server/role.ts).
 */
function forOriginal(env: unknown, original: Request): unknown {
  if (!env || typeof env !== "object") return env;
  return new Proxy(env, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== "function") return value;
      return (first: unknown, ...rest: unknown[]) => value.call(target, first instanceof Request ? original : first, ...rest);
    },
  });
}

/**
 * Mounted at `mountPath` by the caller. Requests that no listed route matches
 * are handed on too, so the real sub-app's own "not found" answers them.
 */
export function lazyRoutes(mountPath: string, table: readonly RouteKey[], load: () => Promise<Hono>): Hono {
  let real: Promise<Hono> | undefined;
  const loaded = () =>
    (real ??= load().then((sub) => {
      // Full paths, as the request carries them; errors the sub-app does not answer itself go back to the app's handler.
      const app = new Hono().route(mountPath, sub);
      app.onError((err) => {
        throw err;
      });
      return app;
    }));
  const handOn = async (c: Context) => {
    const app = await loaded();
    // A gate that read a small JSON body (the role gate) used the stream up: hand on the bytes it kept.
    const raw = c.req.raw;
    if (!raw.bodyUsed) return app.fetch(raw, c.env);
    const req = new Request(raw.url, { method: raw.method, headers: raw.headers, body: await c.req.arrayBuffer() });
    return app.fetch(req, forOriginal(c.env, raw));
  };
  const stand = new Hono();
  for (const key of table) {
    const [method, path] = key.split(" ") as [string, string];
    stand.on(method, path, handOn);
  }
  return stand.all("*", handOn);
}
