/** `GET /api/openapi.json`: the OpenAPI 3.1 document of every route (built on first request, then cached). */
import { Hono } from "hono";
import { buildOpenApi } from "../document";

export function openapiRoutes(build: () => Record<string, unknown> = buildOpenApi) {
  let doc: string | undefined;
  return new Hono().get("/", (c) => {
    doc ??= JSON.stringify(build());
    return c.body(doc, 200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-cache" });
  });
}
