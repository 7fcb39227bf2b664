/**
 * The OpenAPI document: valid OpenAPI 3.1 (the official schema, via
 * @seriousme/openapi-schema-validator), every route the app
 * serves (core, queue, compat, plugins, docs) present with its method, each
 * operation with an example, every $ref resolvable, and request schemas that
 * accept their own examples. The reference page and its embedded viewer
 * assets are served by the app (no CDN).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { z } from "zod";
import { apiDocsService } from "../../launcher/api-docs/service";
import { compatRoutes } from "../../launcher/api-docs/catalog-compat";
import type { QueueApp } from "../queue/harness";
import { startCompatApp, tempData } from "../compat/harness";
import { extraServices } from "../compat/services";
import { wiredRoutes } from "./wired-routes";

const data = tempData("ed-openapi-");
let q: QueueApp;
let doc: any;
beforeAll(async () => {
  q = await startCompatApp(data.dir, [apiDocsService, ...extraServices()]);
  doc = await (await q.api("/api/openapi.json")).json();
});
afterAll(async () => {
  await q?.stop();
  data.remove();
});

/** The app's routes as OpenAPI paths (`:id` → `{id}`), without the UI and login pages. */
function servedRoutes(): string[] {
  const seen = new Set<string>();
  for (const r of q.app.app.routes) {
    if (r.method === "ALL" || !/^\/(api|sdapi|v1|internal)\//.test(r.path)) continue;
    if (r.path.startsWith("/api/docs/")) continue; // the viewer's own assets
    seen.add(`${r.method.toLowerCase()} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}")}`);
  }
  return [...seen].sort();
}

describe("GET /api/openapi.json", () => {
  test("is an OpenAPI 3.1 document", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("Easy Diffusion API");
    expect(typeof doc.info.version).toBe("string");
    expect(Object.keys(doc.paths).length).toBeGreaterThan(40);
  });

  test("passes the OpenAPI 3.1 schema validator", async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  test("documents every route the app serves (this test app's, and every one the real app wires)", async () => {
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m} ${path}`)));
    const served = [...new Set([...servedRoutes(), ...(await wiredRoutes())])];
    expect(served.length).toBeGreaterThan(60);
    // A route missing here needs a RouteDoc in api-docs/catalog-*.ts.
    const missing = served.filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
    for (const r of ["post /sdapi/v1/txt2img", "post /sdapi/v1/img2img", "get /sdapi/v1/progress", "post /v1/images/generations", "post /v1/images/edits", "get /v1/models", "post /api/tasks"]) expect(documented.has(r)).toBe(true);
  });

  test("every operation has an example for its body and its answers; every $ref resolves", () => {
    for (const [path, ops] of Object.entries(doc.paths) as [string, Record<string, any>][]) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method} ${path}`;
        expect({ where, summary: typeof op.summary }).toEqual({ where, summary: "string" });
        if (op.requestBody) for (const media of Object.values(op.requestBody.content) as any[]) expect({ where, has: media.example !== undefined }).toEqual({ where, has: true });
        for (const res of Object.values(op.responses) as any[]) for (const media of Object.values(res.content ?? {}) as any[]) expect({ where, has: media.example !== undefined }).toEqual({ where, has: true });
      }
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect({ ref, found: !!doc.components.schemas[ref] }).toEqual({ ref, found: true });
    expect(JSON.stringify(doc)).not.toContain("#/$defs/");
  });

  test("the request examples are accepted by the schemas the routes validate with", () => {
    for (const r of compatRoutes) if (r.body && r.body.type !== "multipart/form-data") expect({ path: r.path, ok: (r.body.schema as z.ZodType).safeParse(r.body.example).success }).toEqual({ path: r.path, ok: true });
  });
});

describe("GET /api/docs", () => {
  test("serves the reference page and the embedded viewer, no CDN", async () => {
    const page = await (await q.api("/api/docs")).text();
    expect(page).toContain("/api/docs/swagger-ui-bundle.js");
    expect(page).not.toMatch(/https?:\/\//);
    const bundle = await q.api("/api/docs/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toContain("javascript");
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect((await q.api("/api/docs/swagger-ui.css")).status).toBe(200);
    // Stored gzip-compressed: sent as is to a client that takes gzip, unpacked for one that does not.
    const raw = await fetch(new URL("/api/docs/swagger-ui-bundle.js", q.url), { headers: { "accept-encoding": "gzip" }, decompress: false } as RequestInit);
    expect(raw.headers.get("content-encoding")).toBe("gzip");
    const packed = new Uint8Array(await raw.arrayBuffer());
    expect(Bun.gunzipSync(packed).length).toBeGreaterThan(1_000_000);
    const plain = await fetch(new URL("/api/docs/swagger-ui-bundle.js", q.url), { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect((await plain.text()).startsWith("/*!")).toBe(true);
    expect(await (await q.api("/api/docs/init.js")).text()).toContain("/api/openapi.json");
  });
});
