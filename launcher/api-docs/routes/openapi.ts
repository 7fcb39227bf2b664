/** `GET /api/openapi.json`: the OpenAPI 3.1 document of every route (built on first request, then cached). */
import { Hono } from "hono";

// The catalogue's modules (every route's schemas) load on the first request, not at start: ~2 MB resident.
const buildOpenApi = async () => (await import("../document")).buildOpenApi();

export function openapiRoutes(build: () => Record<string, unknown> | Promise<Record<string, unknown>> = buildOpenApi) {
  let doc: string | undefined;
  return new Hono().get("/", async (c) => {
    doc ??= JSON.stringify(await build());
    return c.body(doc, 200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-cache" });
  });
}
