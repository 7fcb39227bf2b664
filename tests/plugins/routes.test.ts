/**
 * /api/plugins through the real app: install from an upload and from a URL
 * (a local HTTP server), list, serve as a JS module, enable/disable, record
 * an error (disables), remove; names and paths outside the plugins folder
 * (traversal, a symlink out of it) are refused; the state survives a restart.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pluginServiceWith } from "../../plugins/service";
import { PluginStore } from "../../plugins/store";
import type { QueueApp } from "../queue/harness";
import { startCompatApp, tempData } from "../compat/harness";

const data = tempData("ed-plugins-");
let q: QueueApp;
const SOURCE = "export default function (ed) { ed.registerPluginMenuItem({ id: 'hi', label: 'Hi', action() {} }); }\n";
let server: ReturnType<typeof Bun.serve>;
beforeAll(async () => {
  // The test server is on loopback, which URL installs refuse (ssrf.test.ts): allowed here as the first hop.
  q = await startCompatApp(data.dir, [pluginServiceWith({ allowAddresses: ["127.0.0.1"] })]);
  server = Bun.serve({
    port: 0,
    fetch: (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/remote.plugin.js") return new Response(SOURCE, { headers: { "content-type": "text/javascript" } });
      if (path === "/huge.plugin.js") return new Response("x".repeat(3 * 1024 * 1024));
      return new Response("nope", { status: 404 });
    },
  });
});
afterAll(async () => {
  server?.stop(true);
  await q?.stop();
  data.remove();
});

const list = async () => ((await (await q.api("/api/plugins")).json()) as any).plugins as any[];

describe("/api/plugins", () => {
  test("an empty folder lists nothing, with the API version", async () => {
    const body = (await (await q.api("/api/plugins")).json()) as any;
    expect(body).toMatchObject({ apiVersion: 1, plugins: [] });
  });

  test("install from a file upload, list, serve as JavaScript", async () => {
    const form = new FormData();
    form.set("file", new File([SOURCE], "hello.plugin.js", { type: "text/javascript" }));
    const res = await q.api("/api/plugins", { method: "POST", body: form });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ file: "hello.plugin.js", name: "hello", enabled: true });
    expect((await list()).map((p) => p.file)).toEqual(["hello.plugin.js"]);
    const js = await q.api("/api/plugins/hello.plugin.js");
    expect(js.headers.get("content-type")).toContain("text/javascript");
    expect(await js.text()).toBe(SOURCE);
  });

  test("install from a URL; a bad name, a 404 and an oversized file are refused", async () => {
    let res = await q.api("/api/plugins", { method: "POST", json: { url: `http://127.0.0.1:${server.port}/remote.plugin.js` } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as any).file).toBe("remote.plugin.js");
    res = await q.api("/api/plugins", { method: "POST", json: { url: `http://127.0.0.1:${server.port}/script.js` } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe("bad_plugin_name");
    res = await q.api("/api/plugins", { method: "POST", json: { url: `http://127.0.0.1:${server.port}/missing.plugin.js` } });
    expect(res.status).toBe(502);
    res = await q.api("/api/plugins", { method: "POST", json: { url: `http://127.0.0.1:${server.port}/huge.plugin.js` } });
    expect(res.status).toBe(413);
    res = await q.api("/api/plugins", { method: "POST", json: { url: "file:///etc/passwd" } });
    expect(res.status).toBe(400);
  });

  test("disable, report an error (disables, keeps the message), enable again (clears it)", async () => {
    let res = await q.api("/api/plugins/hello.plugin.js", { method: "PATCH", json: { enabled: false } });
    expect(((await res.json()) as any).enabled).toBe(false);
    await q.api("/api/plugins/hello.plugin.js", { method: "PATCH", json: { enabled: true } });
    res = await q.api("/api/plugins/hello.plugin.js/error", { method: "POST", json: { message: "TypeError: boom" } });
    expect(await res.json()).toMatchObject({ enabled: false, error: "TypeError: boom" });
    // Kept on disk: a new store over the same folder reads the same state.
    expect(new PluginStore(q.app.ctx.paths.plugins, q.app.ctx.paths.pluginState).get("hello.plugin.js")).toMatchObject({ enabled: false, error: "TypeError: boom" });
    res = await q.api("/api/plugins/hello.plugin.js", { method: "PATCH", json: { enabled: true } });
    const info = (await res.json()) as any;
    expect(info.enabled).toBe(true);
    expect(info.error).toBeUndefined();
  });

  test("paths outside the plugins folder are refused: traversal, other names, a symlink out", async () => {
    expect((await q.api("/api/plugins/..%2F..%2Fconfig.yaml")).status).toBe(400);
    expect((await q.api("/api/plugins/notes.txt")).status).toBe(400);
    expect((await q.api("/api/plugins/missing.plugin.js")).status).toBe(404);
    const outside = join(data.dir, "secret.js");
    writeFileSync(outside, "secret");
    mkdirSync(q.app.ctx.paths.plugins, { recursive: true });
    symlinkSync(outside, join(q.app.ctx.paths.plugins, "link.plugin.js"));
    expect((await q.api("/api/plugins/link.plugin.js")).status).toBe(404);
    expect((await list()).map((p) => p.file)).not.toContain("link.plugin.js");
    const form = new FormData();
    form.set("file", new File(["x"], "../escape.plugin.js"));
    expect((await q.api("/api/plugins", { method: "POST", body: form })).status).toBe(400);
    expect(existsSync(join(data.dir, "escape.plugin.js"))).toBe(false);
  });

  test("a foreign page cannot install; remove deletes the file", async () => {
    const res = await q.api("/api/plugins", { method: "POST", json: { url: "http://127.0.0.1/x.plugin.js" }, headers: { origin: "http://evil.example" } });
    expect(res.status).toBe(403);
    expect((await q.api("/api/plugins/remote.plugin.js", { method: "DELETE" })).status).toBe(200);
    expect((await list()).map((p) => p.file)).toEqual(["hello.plugin.js"]);
  });
});
