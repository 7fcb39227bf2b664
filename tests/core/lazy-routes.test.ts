/** core/server/lazy-routes.ts through a real Hono app (app.request): routes known at start, modules loaded on first use. */
import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { matchedRoutes } from "hono/route";
import { lazyRoutes, routeKeys, type RouteKey } from "../../core/server/lazy-routes";

class Refused extends Error {}

/** Bun's server as the app's env sees it: it knows only the requests it received. */
type Server = { requestIP: (req: Request) => { address: string } | null };

function realSub() {
  return new Hono()
    .get("/items/:id", (c) => c.json({ id: c.req.param("id") }))
    .post("/echo", async (c) => c.json(await c.req.json()))
    .post("/peer", (c) => c.json({ peer: (c.env as Server).requestIP(c.req.raw)?.address ?? null }))
    .get("/boom", () => {
      throw new Refused("nope");
    })
    .all("*", (c) => c.json({ detail: "Not Found" }, 404));
}

function appWith(table: readonly RouteKey[]) {
  let loads = 0;
  const seen: string[] = [];
  const app = new Hono();
  // As the role gate: reads the matched route, and for POSTs the JSON body, before the handler runs.
  app.use("*", async (c, next) => {
    seen.push(matchedRoutes(c).find((r) => r.method !== "ALL")?.path ?? "-");
    if (c.req.method === "POST") await c.req.text();
    await next();
  });
  app.onError((err, c) => c.json({ error: { code: err instanceof Refused ? "refused" : "other", message: err.message } }, 418));
  app.route(
    "/compat",
    lazyRoutes("/compat", table, async () => {
      loads++;
      return realSub();
    }),
  );
  return { app, loads: () => loads, seen };
}

const TABLE: RouteKey[] = ["GET /items/:id", "POST /echo", "POST /peer", "GET /boom"];

describe("lazy routes", () => {
  test("the table matches the real sub-app's routes", () => {
    expect(routeKeys(realSub()).sort()).toEqual([...TABLE].sort());
  });

  test("every route is registered at start; the module loads on the first call, once", async () => {
    const { app, loads, seen } = appWith(TABLE);
    expect(routeKeys(app)).toEqual(["GET /compat/items/:id", "POST /compat/echo", "POST /compat/peer", "GET /compat/boom"]);
    expect(loads()).toBe(0);
    expect(await (await app.request("/compat/items/7")).json()).toEqual({ id: "7" });
    expect(await (await app.request("/compat/items/8")).json()).toEqual({ id: "8" });
    expect(loads()).toBe(1);
    expect(seen).toEqual(["/compat/items/:id", "/compat/items/:id"]);
  });

  test("a body a gate already read reaches the handler", async () => {
    const { app } = appWith(TABLE);
    const res = await app.request("/compat/echo", { method: "POST", body: JSON.stringify({ a: [1, 2] }), headers: { "content-type": "application/json" } });
    expect(await res.json()).toEqual({ a: [1, 2] });
  });

  test("a re-made request keeps its peer: another device is not taken for this computer", async () => {
    const { app } = appWith(TABLE);
    const original = new Request("http://127.0.0.1/compat/peer", { method: "POST", body: "{}" });
    const server: Server = { requestIP: (req) => (req === original ? { address: "192.168.1.20" } : null) };
    const res = await app.fetch(original, server);
    expect(await res.json()).toEqual({ peer: "192.168.1.20" });
  });

  test("an error the sub-app does not answer goes to the app's error handler", async () => {
    const { app } = appWith(TABLE);
    const res = await app.request("/compat/boom");
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ error: { code: "refused", message: "nope" } });
  });

  test("a path no route lists gets the sub-app's own not-found answer", async () => {
    const { app, seen } = appWith(TABLE);
    const res = await app.request("/compat/nowhere", { method: "DELETE" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: "Not Found" });
    expect(seen).toEqual(["-"]);
  });
});
