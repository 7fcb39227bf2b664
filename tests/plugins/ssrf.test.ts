/**
 * Issue 26 through the real routes: POST /api/plugins {url} fetched a
 * loopback-only service and served its answer back as a plugin, followed
 * redirects to such services, and read 600 MB before its 2 MB check; POST
 * /api/models/download followed a redirect to `file:///…` and installed a
 * local file as a LoRA. Loopback test servers only (see fetch-guard.test.ts
 * for the address table).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { modelsNetService } from "../../models/net/service";
import { pluginService, pluginServiceWith } from "../../plugins/service";
import { startModelsApp, tempTree, type ModelsApp } from "../models/harness";
import { waitFor } from "../standin/fixtures";

const MB = 1024 * 1024;
const SECRET = "internal-only answer: token=abc123";
const hits: string[] = [];
let streamed = 0;
const tree = tempTree("ed-ssrf-");
const internal: ReturnType<typeof Bun.serve> = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: (req): Response => {
    const path = new URL(req.url).pathname;
    hits.push(path);
    if (path === "/redirect.plugin.js") return new Response(null, { status: 302, headers: { location: `http://127.0.0.2:${internal.port}/admin.plugin.js` } });
    if (path === "/to-file.plugin.js") return new Response(null, { status: 302, headers: { location: "file:///etc/passwd" } });
    if (path === "/lora.safetensors") return new Response(null, { status: 302, headers: { location: `file://${join(tree.dir, "local.safetensors")}` } });
    if (path === "/huge.plugin.js")
      return new Response(
        new ReadableStream({
          pull(c) {
            streamed += MB;
            if (streamed > 600 * MB) c.close();
            else c.enqueue(new Uint8Array(MB).fill(32));
          },
        }),
      );
    return new Response(`export default () => { /* ${SECRET} */ }`, { headers: { "content-type": "text/javascript" } });
  },
});

describe("plugin URLs", () => {
  let strict: ModelsApp;
  let allowing: ModelsApp;
  beforeAll(async () => {
    strict = await startModelsApp(join(tree.dir, "strict"), { more: [pluginService] });
    allowing = await startModelsApp(join(tree.dir, "allowing"), { more: [pluginServiceWith({ allowAddresses: ["127.0.0.1"] })] });
  });
  afterAll(async () => {
    await strict?.stop();
    await allowing?.stop();
  });

  const install = (app: ModelsApp, url: string) => app.api("/api/plugins", { method: "POST", json: { url } });

  test("a loopback service (by address or name) is never fetched: 403 address_not_allowed, nothing installed", async () => {
    const before = hits.length;
    for (const host of [`127.0.0.1:${internal.port}`, `localhost:${internal.port}`, `[::ffff:127.0.0.1]:${internal.port}`, `0.0.0.0:${internal.port}`]) {
      const res = await install(strict, `http://${host}/steal.plugin.js`);
      const text = await res.text();
      expect({ host, status: res.status }).toEqual({ host, status: 403 });
      expect(JSON.parse(text).error.code).toBe("address_not_allowed");
      expect(text).not.toContain(SECRET);
    }
    expect(hits.length).toBe(before);
    expect(((await (await strict.api("/api/plugins")).json()) as { plugins: unknown[] }).plugins).toEqual([]);
  });

  test("the first hop allowed, its redirect to another loopback address: 403; to file://: 400", async () => {
    const redirected = await install(allowing, `http://127.0.0.1:${internal.port}/redirect.plugin.js`);
    expect(redirected.status).toBe(403);
    expect(((await redirected.json()) as { error: { code: string } }).error.code).toBe("address_not_allowed");
    expect(hits).not.toContain("/admin.plugin.js");
    const toFile = await install(allowing, `http://127.0.0.1:${internal.port}/to-file.plugin.js`);
    expect(toFile.status).toBe(400);
    expect(((await toFile.json()) as { error: { code: string } }).error.code).toBe("url_not_allowed");
  });

  test("a 600 MB answer is cut just past 2 MB: 413 too_large", async () => {
    streamed = 0;
    const res = await install(allowing, `http://127.0.0.1:${internal.port}/huge.plugin.js`);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({ code: "too_large", message: "the plugin is over 2 MB" });
    expect(streamed).toBeLessThan(32 * MB);
  });
});

describe("model downloads", () => {
  let app: ModelsApp;
  beforeAll(async () => {
    writeFileSync(join(tree.dir, "local.safetensors"), "a local file");
    app = await startModelsApp(join(tree.dir, "models-app"), { more: [modelsNetService({ catalogText: "entries: []\n", machine: async () => ({ gpu: false, vramGb: 0, ramGb: 16 }), retries: 0, backoffMs: 1 })] });
  });
  afterAll(async () => {
    await app?.stop();
    internal.stop(true);
    tree.remove();
  });

  test("POST /api/models/download whose URL redirects to file:///: fails as not_allowed, nothing installed", async () => {
    const res = await app.api("/api/models/download", { method: "POST", json: { url: `http://127.0.0.1:${internal.port}/lora.safetensors`, kind: "lora" } });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const end = await waitFor("the download to end", async () => {
      const list = (await (await app.api("/api/models/downloads")).json()) as { downloads: { id: string; phase: string; error?: { code: string; message: string } }[] };
      const d = list.downloads.find((x) => x.id === id);
      return d && ["failed", "installed", "cancelled"].includes(d.phase) && d;
    });
    expect(end.phase).toBe("failed");
    expect(end.error?.code).toBe("not_allowed");
    const lora = join(tree.dir, "models-app", "models", "lora");
    expect(existsSync(lora) ? readdirSync(lora) : []).toEqual([]);
  });
});
