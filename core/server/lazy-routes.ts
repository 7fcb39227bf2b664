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
    const req = raw.bodyUsed ? new Request(raw.url, { method: raw.method, headers: raw.headers, body: await c.req.arrayBuffer() }) : raw;
    return app.fetch(req, c.env);
  };
  const stand = new Hono();
  for (const key of table) {
    const [method, path] = key.split(" ") as [string, string];
    stand.on(method, path, handOn);
  }
  return stand.all("*", handOn);
}
