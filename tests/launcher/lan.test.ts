/**
 * Other devices on the network: the token gate, login, cookie, Bearer and
 * Basic, the rate limit and the local-only token view, through app.request()
 * with a non-loopback peer (Bun's server.requestIP, as Hono sees it).
 * tests/launcher/lan-netns.test.ts does the same over a real network.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lanAddressesOf } from "../../launcher/access/addresses";
import { isLoopback } from "../../core/server/role";
import { decideAccess } from "../../launcher/access/credentials";
import { FailureLimiter } from "../../launcher/access/rate-limit";
import { lanAnnouncement } from "../../launcher/access/terminal";
import { AccessToken } from "../../launcher/access/token";
import { ConfigStore } from "../../core/config/store";
import { EventBus } from "../../core/events/bus";
import { silentLogger } from "../../core/log";
import { resolvePaths } from "../../core/paths";
import { createApp } from "../../launcher/server/app";
import type { AppContext } from "../../core/server/context";
import { assets } from "../../ui/dist/manifest";

let dir: string;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;
const PHONE = "192.168.1.20";
const peer = (address: string) => ({ requestIP: () => ({ address, family: "IPv4", port: 50000 }) });
/** A request as the server sees it from `from` (a phone on the LAN by default), through the app's LAN address. */
const req = (path: string, init: RequestInit & { from?: string } = {}) =>
  app.request(`http://127.0.0.1:9000${path}`, { ...init, headers: { host: "192.168.1.5:9000", ...(init.headers as Record<string, string>) } }, peer(init.from ?? PHONE));
const token = async () => ((await (await req("/api/lan", { from: "127.0.0.1", headers: { host: "127.0.0.1:9000" } })).json()) as { token: string }).token;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ed-lan-"));
  const paths = resolvePaths({ home: dir, platform: "linux", ci: true }, { dataDir: dir });
  writeFileSync(paths.config, "server:\n  allow_lan: true\n  allowed_hosts: [192.168.1.5]\n");
  ctx = { paths, config: ConfigStore.load(paths.config), bus: new EventBus(), log: silentLogger, listening: { host: "0.0.0.0", port: 9000 } };
  app = createApp(ctx, { ui: assets });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("a device on the network", () => {
  test("without the token: API calls get 401, pages go to the login page", async () => {
    const api = await req("/api/health");
    expect(api.status).toBe(401);
    expect(api.headers.get("www-authenticate")).toContain("Bearer");
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    const page = await req("/", { headers: { accept: "text/html" } });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/login");
    const login = await req("/login", { headers: { accept: "text/html" } });
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<form method="post" action="/login">');
  });

  test("Bearer and Basic (A1111 clients' --api-auth, any user name) with the token pass; wrong ones do not", async () => {
    const t = await token();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await req("/api/health", { headers: { authorization: `Bearer ${t}` } })).status).toBe(200);
    expect((await req("/api/health", { headers: { authorization: `Basic ${btoa(`user:${t}`)}` } })).status).toBe(200);
    expect((await req("/api/health", { headers: { authorization: `Bearer ${t}x` } })).status).toBe(401);
    expect((await req("/api/health", { headers: { authorization: `Basic ${btoa(`${t}:nope`)}` } })).status).toBe(401);
  });

  test("the login link sets an HttpOnly, SameSite=Strict session cookie (not the token) that opens the app; the form works too", async () => {
    const t = await token();
    const res = await req(`/login?token=${t}`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^ed_session=[^;]+;/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).not.toContain(t);
    const session = cookie.split(";")[0]!;
    expect((await req("/api/health", { headers: { cookie: session } })).status).toBe(200);
    expect((await req("/", { headers: { cookie: session, accept: "text/html" } })).status).toBe(200);
    const form = await req("/login", { method: "POST", body: new URLSearchParams({ token: t }), headers: { origin: "http://192.168.1.5:9000" } });
    expect(form.status).toBe(303);
    expect(form.headers.get("set-cookie")).toContain(session);
    const wrong = await req("/login", { method: "POST", body: new URLSearchParams({ token: "nope" }), headers: { origin: "http://192.168.1.5:9000" } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("That token is not right");
  });

  test("a new token logs every device out", async () => {
    const t = await token();
    const session = (await req(`/login?token=${t}`)).headers.get("set-cookie")!.split(";")[0]!;
    // Only this machine may make a new token.
    const remote = await req("/api/lan/token", { method: "POST", headers: { authorization: `Bearer ${t}` } });
    expect(remote.status).toBe(403);
    const fresh = (await (await req("/api/lan/token", { method: "POST", from: "127.0.0.1", headers: { host: "127.0.0.1:9000" } })).json()) as { token: string };
    expect(fresh.token).not.toBe(t);
    expect((await req("/api/health", { headers: { cookie: session } })).status).toBe(401);
    expect((await req("/api/health", { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
    expect((await req("/api/health", { headers: { authorization: `Bearer ${fresh.token}` } })).status).toBe(200);
  });

  test("brute force: after 10 wrong tokens the address gets 429 with Retry-After, even with the right one; others are not affected", async () => {
    const t = await token();
    for (let i = 0; i < 10; i++) expect((await req("/api/health", { headers: { authorization: `Bearer guess${i}` } })).status).toBe(401);
    const blocked = await req("/api/health", { headers: { authorization: `Bearer ${t}` } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await req(`/login?token=${t}`)).status).toBe(429);
    expect((await req("/api/health", { from: "192.168.1.21", headers: { authorization: `Bearer ${t}` } })).status).toBe(200);
    expect((await req("/api/health", { from: "127.0.0.1", headers: { host: "127.0.0.1:9000" } })).status).toBe(200);
  });

  test("the token, links and QR code are shown on this machine only", async () => {
    const local = (await (await req("/api/lan", { from: "127.0.0.1", headers: { host: "127.0.0.1:9000" } })).json()) as Record<string, unknown>;
    expect(local.enabled).toBe(true);
    expect(String(local.qr)).toStartWith("<svg");
    const t = local.token as string;
    const remote = (await (await req("/api/lan", { headers: { authorization: `Bearer ${t}` } })).json()) as Record<string, unknown>;
    expect(remote).toEqual({ enabled: true, host: "0.0.0.0", port: 9000, pinned: false });
    expect(statSync(ctx.paths.lanToken).mode & 0o777).toBe(0o600);
  });

  test("the same-origin rule still applies to devices with the token", async () => {
    const t = await token();
    const res = await req("/api/config", { method: "PATCH", body: "{}", headers: { authorization: `Bearer ${t}`, origin: "http://192.168.1.5:3000", "content-type": "application/json" } });
    expect(res.status).toBe(403);
  });

  test("CORS only for configured origins; their preflight needs no token, their calls do", async () => {
    ctx.config.update({ server: { cors_origins: ["https://tool.example"] } });
    const pre = await req("/api/tasks", { method: "OPTIONS", headers: { origin: "https://tool.example", "access-control-request-method": "POST" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://tool.example");
    const other = await req("/api/health", { from: "127.0.0.1", headers: { host: "127.0.0.1:9000", origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const call = await req("/api/health", { headers: { origin: "https://tool.example" } });
    expect(call.status).toBe(401);
    expect(call.headers.get("access-control-allow-origin")).toBe("https://tool.example");
  });
});

describe("the terminal", () => {
  test("names the login links (with the token) and, on a terminal, draws the QR code", () => {
    const t = new AccessToken(ctx.paths.lanToken);
    const text = lanAnnouncement({ host: "192.168.1.5", port: 9000 }, t, true);
    expect(text).toContain(`  http://192.168.1.5:9000/login?token=${t.value}`);
    expect(text.split("\n").filter((l) => /^[█▀▄ ]+$/.test(l)).length).toBeGreaterThan(10);
    expect(lanAnnouncement({ host: "192.168.1.5", port: 9000 }, t, false)).not.toContain("█");
  });
});

describe("pure parts", () => {
  test("loopback is 127/8, ::1 and IPv4-mapped 127/8; an in-process request has no peer and is local", () => {
    for (const a of ["127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1", undefined]) expect(isLoopback(a)).toBe(true);
    for (const a of ["192.168.1.2", "10.0.0.1", "::ffff:192.168.1.2", "fe80::1", "1.2.3.4"]) expect(isLoopback(a)).toBe(false);
  });

  test("decideAccess: no credentials is not an attempt; wrong ones are", () => {
    const s = { token: "t".repeat(43), session: "s" };
    expect(decideAccess({ peer: "10.0.0.2" }, s)).toEqual({ ok: false, presented: false });
    expect(decideAccess({ peer: "10.0.0.2", cookie: "ed_session=x" }, s)).toEqual({ ok: false, presented: true });
    expect(decideAccess({ peer: "10.0.0.2", cookie: "a=b; ed_session=s" }, s)).toEqual({ ok: true, via: "cookie" });
  });

  test("the failure window moves on", () => {
    let now = 0;
    const limiter = new FailureLimiter(3, 1000, () => now);
    for (let i = 0; i < 3; i++) limiter.fail("a");
    expect(limiter.blockedFor("a")).toBe(1);
    now = 1001;
    expect(limiter.blockedFor("a")).toBe(0);
  });

  test("LAN addresses: private IPv4 first, no internal or link-local ones, names for the Host check", () => {
    const ifs = {
      lo: [{ address: "127.0.0.1", family: "IPv4", internal: true }],
      eth0: [
        { address: "203.0.113.5", family: "IPv4", internal: false },
        { address: "fe80::1", family: "IPv6", internal: false },
        { address: "2001:db8::5", family: "IPv6", internal: false },
      ],
      wlan0: [{ address: "192.168.1.5", family: "IPv4", internal: false }],
    } as never;
    expect(lanAddressesOf(ifs, "Desk")).toEqual({ ips: ["192.168.1.5", "203.0.113.5"], names: ["192.168.1.5", "203.0.113.5", "[2001:db8::5]", "desk", "desk.local"] });
  });
});
