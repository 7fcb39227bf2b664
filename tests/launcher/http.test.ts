/** The HTTP API and embedded UI through `app.request()`: no socket, the real Hono app. */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assets } from "../../ui/dist/manifest";
import { ConfigStore } from "../../core/config/store";
import { EventBus } from "../../core/events/bus";
import { silentLogger } from "../../core/log";
import { resolvePaths } from "../../core/paths";
import { createApp } from "../../launcher/server/app";
import { bodyLimitFor, DEFAULT_BODY_LIMIT } from "../../launcher/server/body-limits";
import { renderIndex } from "../../launcher/server/index-page";
import type { AppContext } from "../../core/server/context";
import { VERSION } from "../../core/version";
import { windowService } from "../../launcher/window/service";

let dir: string;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;

const H = { host: "127.0.0.1:9000" };
const req = (path: string, init: RequestInit = {}) => app.request(`http://127.0.0.1:9000${path}`, { ...init, headers: { ...H, ...(init.headers as Record<string, string>) } });
const patch = (body: unknown, headers: Record<string, string> = {}) =>
  req("/api/config", { method: "PATCH", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "ed-http-"));
  const paths = resolvePaths({ home: dir, platform: "linux", ci: true }, { dataDir: dir });
  writeFileSync(paths.config, "# mine\nserver:\n  port: 9000\n");
  ctx = { paths, config: ConfigStore.load(paths.config), bus: new EventBus(), log: silentLogger, heartbeatMs: 50 };
  const window = await windowService(ctx);
  app = createApp(ctx, { api: window.routes, ui: assets });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function errorOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(typeof body.error.code).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

describe("health, version, 404", () => {
  test("GET /api/health", async () => {
    const res = await req("/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  test("GET /api/version", async () => {
    const body = (await (await req("/api/version")).json()) as Record<string, string>;
    expect(body.version).toBe(VERSION);
    expect(body.name).toBe("Easy Diffusion");
  });

  test("unknown /api paths are JSON 404s, for any method", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const res = await req("/api/no/such/thing", { method });
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe("not_found");
    }
  });
});

describe("config", () => {
  test("GET returns the config, its file and problems", async () => {
    const body = (await (await req("/api/config")).json()) as { config: { server: { port: number } }; file: string; problems: unknown[] };
    expect(body.config.server.port).toBe(9000);
    expect(body.file).toBe(ctx.paths.config);
    expect(body.problems).toEqual([]);
  });

  test("PATCH saves, keeps comments and publishes config.changed", async () => {
    const seen: string[][] = [];
    ctx.bus.on("config.changed", (d) => seen.push(d.keys));
    const res = await patch({ server: { port: 9400 }, ui: { open_window: false } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { config: { server: { port: number } } }).config.server.port).toBe(9400);
    expect(readFileSync(ctx.paths.config, "utf8")).toStartWith("# mine\nserver:\n  port: 9400\n");
    expect(seen).toEqual([["server.port", "ui.open_window"]]);
  });

  test("PATCH of one key leaves the section's other keys as the user wrote them", async () => {
    writeFileSync(ctx.paths.config, "server:\n  host: 0.0.0.0 # LAN\n  allowed_hosts: [pc.lan]\n");
    ctx.config = ConfigStore.load(ctx.paths.config);
    app = createApp(ctx, { ui: assets });
    expect((await patch({ server: { port: 9001 } })).status).toBe(200);
    expect(readFileSync(ctx.paths.config, "utf8")).toBe("server:\n  host: 0.0.0.0 # LAN\n  allowed_hosts: [ pc.lan ]\n  port: 9001\n");
  });

  test.each([
    ["a wrong type", { server: { port: "x" } }, "invalid_request"],
    ["an out-of-range value", { server: { port: 0 } }, "invalid_request"],
    ["an unknown key", { server: { prot: 1 } }, "invalid_request"],
    ["an unknown section", { colours: {} }, "invalid_request"],
    ["not JSON", "{port:", "invalid_json"],
  ])("PATCH with %s is a 400 that says so, and writes nothing", async (_, body, code) => {
    const before = readFileSync(ctx.paths.config, "utf8");
    const res = await patch(body);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe(code);
    expect(readFileSync(ctx.paths.config, "utf8")).toBe(before);
  });

  test("GET /api/config/schema documents every key", async () => {
    const schema = (await (await req("/api/config/schema")).json()) as { properties: Record<string, { properties: Record<string, { description?: string }> }> };
    expect(schema.properties.server!.properties.port!.description).toContain("Port");
  });
});

describe("security", () => {
  test("a foreign Host is refused (DNS rebinding)", async () => {
    for (const host of ["evil.example", "evil.example:9000", "192.168.1.20:9000"]) {
      const res = await app.request("http://127.0.0.1:9000/api/health", { headers: { host } });
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe("forbidden_host");
    }
    for (const host of ["localhost:9000", "[::1]:9000", "app.localhost"]) {
      expect((await app.request("http://127.0.0.1:9000/api/health", { headers: { host } })).status).toBe(200);
    }
  });

  test("a state change from a foreign Origin is refused; the app's own origin is fine", async () => {
    for (const origin of ["https://evil.example", "null", "http://127.0.0.1.evil.example"]) {
      const res = await patch({ server: { port: 9500 } }, { origin });
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe("forbidden_origin");
    }
    expect((await patch({ server: { port: 9500 } }, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(readFileSync(ctx.paths.config, "utf8")).toContain("port: 9000");
    expect((await patch({ server: { port: 9500 } }, { origin: "http://127.0.0.1:9000" })).status).toBe(200);
  });

  test("bodies over their route's limit get 413 with a message, before anything is parsed or written", async () => {
    const before = readFileSync(ctx.paths.config, "utf8");
    const big = JSON.stringify({ server: { allowed_hosts: ["x".repeat(2 * 1024 * 1024)] } });
    const res = await patch(big);
    expect(res.status).toBe(413);
    const err = await errorOf(res);
    expect(err.code).toBe("too_large");
    expect(err.message).toBe("the request body is too large: this request may be at most 1 MB");
    expect(readFileSync(ctx.paths.config, "utf8")).toBe(before);
    // UI state: refused by size before it is parsed (a body that is not even JSON).
    const state = await req("/api/ui-state", { method: "PUT", body: "{".repeat(1024 * 1024 + 1), headers: { "content-type": "application/json" } });
    expect(state.status).toBe(413);
    // Chunked, without Content-Length: counted as it arrives.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 3; i++) c.enqueue(new Uint8Array(512 * 1024).fill(32));
        c.close();
      },
    });
    const chunked = await req("/api/config", { method: "PATCH", body: stream, headers: { "content-type": "application/json" } });
    expect(chunked.status).toBe(413);
  });

  test("the limits table: pictures may be large, everything else is small", () => {
    expect(bodyLimitFor("POST", "/api/tasks").bytes).toBe(256 * 1024 * 1024);
    expect(bodyLimitFor("POST", "/api/tasks/abc/retry").bytes).toBe(256 * 1024 * 1024);
    expect(bodyLimitFor("POST", "/api/tasksx").bytes).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor("PATCH", "/api/config").bytes).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor("POST", "/api/metadata/parse").bytes).toBe(64 * 1024 * 1024);
  });

  test("no CORS headers, even for a foreign Origin reading", async () => {
    const res = await req("/api/health", { headers: { origin: "https://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("events (SSE)", () => {
  async function readEvents(res: Response, count: number): Promise<{ id?: string; event: string; data: string }[]> {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const out: { id?: string; event: string; data: string }[] = [];
    while (out.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      const blocks = text.split("\n\n");
      text = blocks.pop()!;
      for (const b of blocks) {
        const f = Object.fromEntries(b.split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]));
        if (f.event && f.event !== "ping") out.push({ id: f.id, event: f.event, data: f.data ?? "" });
      }
    }
    await reader.cancel();
    return out;
  }

  test("a reconnect with Last-Event-ID gets exactly what it missed", async () => {
    ctx.bus.publish("queue.status", { running: 0, total: 1, paused: false });
    const second = ctx.bus.publish("queue.status", { running: 1, total: 2, paused: false });
    const third = ctx.bus.publish("config.changed", { keys: ["a.b"] });
    const res = await req("/api/events", { headers: { "last-event-id": String(second.id - 1) } });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = await readEvents(res, 2);
    expect(events.map((e) => Number(e.id))).toEqual([second.id, third.id]);
    expect(JSON.parse(events[0]!.data)).toEqual({ running: 1, total: 2, paused: false });
  });

  test("a new client gets the latest of each type, then live events", async () => {
    ctx.bus.publish("queue.status", { running: 0, total: 1, paused: false });
    ctx.bus.publish("queue.status", { running: 0, total: 2, paused: false });
    const res = await req("/api/events");
    setTimeout(() => ctx.bus.publish("config.changed", { keys: ["x.y"] }), 30);
    const events = await readEvents(res, 2);
    expect(events.map((e) => e.event)).toEqual(["queue.status", "config.changed"]);
    expect(JSON.parse(events[0]!.data).total).toBe(2);
  });

  test("downloads side by side (a source build's two tarballs): a new client gets the latest of each", async () => {
    const bus = new EventBus();
    const d = (id: string, bytes: number) => ({ id, kind: "source" as const, asset: id, bytes, total: 100, rate: 0, phase: "downloading" as const });
    bus.publish("download", d("sd.tar.gz", 10));
    bus.publish("download", d("sd.tar.gz", 100));
    bus.publish("download", d("ggml.tar.gz", 50));
    bus.publish("queue.status", { running: 0, total: 0, paused: false });
    const downloads = bus.latest().filter((e) => e.type === "download").map((e) => e.data as { id: string; bytes: number });
    expect(downloads).toEqual([expect.objectContaining({ id: "sd.tar.gz", bytes: 100 }), expect.objectContaining({ id: "ggml.tar.gz", bytes: 50 })]);
    // Bounded: only the 32 most recent downloads are kept for new clients.
    for (let i = 0; i < 40; i++) bus.publish("download", d(`m${i}`, i));
    const kept = bus.latest().filter((e) => e.type === "download").map((e) => (e.data as { id: string }).id);
    expect(kept).toHaveLength(32);
    expect(kept.at(-1)).toBe("m39");
    expect(kept).not.toContain("sd.tar.gz");
  });
});

describe("window routes", () => {
  test("POST /api/window/focus publishes window.focus", async () => {
    let focused = 0;
    ctx.bus.on("window.focus", () => focused++);
    expect((await req("/api/window/focus", { method: "POST" })).status).toBe(200);
    expect(focused).toBe(1);
  });

  test("POST /api/window/painted publishes the page's first paint; bad bodies are 400s", async () => {
    const seen: { t: number; at: number }[] = [];
    ctx.bus.on("window.painted", (d) => seen.push(d));
    const before = Date.now();
    const ok = await req("/api/window/painted", { method: "POST", body: JSON.stringify({ t: 123.5 }), headers: { "content-type": "application/json" } });
    expect(ok.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.t).toBe(123.5);
    expect(seen[0]!.at).toBeGreaterThanOrEqual(before);
    for (const body of ['{"t":-1}', '{"t":"soon"}', "{}", '{"t":1,"x":2}', "nope"]) {
      const res = await req("/api/window/painted", { method: "POST", body, headers: { "content-type": "application/json" } });
      expect(res.status).toBe(400);
      await errorOf(res);
    }
    expect(seen).toHaveLength(1);
  });
});

describe("embedded UI", () => {
  test("index.html, revalidated, with an etag and 304", async () => {
    const res = await req("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    const etag = res.headers.get("etag")!;
    expect((await req("/", { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  test("index.html carries the saved theme and font size (first paint), with an etag that changes with them", async () => {
    const first = await req("/");
    const dark = await first.text();
    expect(dark).toContain('<html data-theme="dark" style="--ed-font-size: 14px" lang="en">');
    expect(dark).toContain('<meta name="color-scheme" content="dark" />');
    const etag = first.headers.get("etag")!;
    expect((await patch({ ui: { theme: "system", font_size: 18 } })).status).toBe(200);
    const res = await req("/settings", { headers: { "if-none-match": etag } });
    expect(res.status).toBe(200);
    const system = await res.text();
    expect(system).toContain('<html data-theme="system" style="--ed-font-size: 18px" lang="en">');
    expect(system).toContain('<meta name="color-scheme" content="dark light" />');
    expect(res.headers.get("etag")).not.toBe(etag);
    expect((await req("/", { headers: { "if-none-match": res.headers.get("etag")! } })).status).toBe(304);
    expect((await patch({ ui: { theme: "blue" } })).status).toBe(400);
    expect((await patch({ ui: { font_size: 200 } })).status).toBe(400);
  });

  test("the page's appearance is written only as known words and a number", () => {
    const page = '<html lang="en"><head><meta name="color-scheme" content="dark" />';
    const odd = renderIndex(page, { theme: '"><script>' as "dark", font_size: 15.6 });
    expect(odd).toBe('<html data-theme="dark" style="--ed-font-size: 16px" lang="en"><head><meta name="color-scheme" content="dark" />');
    expect(renderIndex(page, { theme: "light", font_size: Number.NaN })).toContain('data-theme="light" style="--ed-font-size: 14px"');
  });

  test("hashed assets are immutable with the right types", async () => {
    const js = Object.keys(assets).find((k) => k.endsWith(".js"))!;
    const res = await req(js);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    expect(res.headers.get("cache-control")).toContain("immutable");
  });

  test("scripts are embedded gzipped: sent as they are to a client that takes gzip, inflated for one that does not", async () => {
    const js = Object.keys(assets).find((k) => k.endsWith(".js"))!;
    expect(assets[js]!.gzip).toBe(true);
    const zipped = await req(js, { headers: { "accept-encoding": "gzip, deflate, br" } });
    const plain = await req(js, { headers: { "accept-encoding": "identity" } });
    expect([zipped.headers.get("content-encoding"), plain.headers.get("content-encoding")]).toEqual(["gzip", null]);
    expect([zipped.headers.get("vary"), plain.headers.get("vary")]).toEqual(["accept-encoding", "accept-encoding"]);
    // app.request() hands back the bytes as sent: the gzipped ones inflate to exactly the plain answer, the built file.
    const sent = new Uint8Array(await zipped.arrayBuffer());
    const text = await plain.text();
    expect(new TextDecoder().decode(Bun.gunzipSync(sent))).toBe(text);
    expect(text).toBe(readFileSync(join(import.meta.dir, "..", "..", "ui", "dist", js.slice(1)), "utf8"));
    expect(sent.length).toBeLessThan(text.length / 2);
    const etags: string[] = [zipped.headers.get("etag")!, plain.headers.get("etag")!];
    expect(etags[0]).not.toBe(etags[1]);
    expect((await req(js, { headers: { "accept-encoding": "gzip", "if-none-match": etags[0]! } })).status).toBe(304);
    expect((await req(js, { headers: { "accept-encoding": "gzip", "if-none-match": etags[1]! } })).status).toBe(200);
  });

  test("client routes get the shell; missing files and escapes are 404s", async () => {
    expect((await req("/settings")).headers.get("content-type")).toContain("text/html");
    expect((await req("/assets/missing.js")).status).toBe(404);
    for (const p of ["/../package.json", "/%2e%2e/package.json", "/assets/..%2f..%2fpackage.json"]) {
      const res = await req(p);
      expect(await res.text()).not.toContain('"dependencies"');
    }
  });
});
