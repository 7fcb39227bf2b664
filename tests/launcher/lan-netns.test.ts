/**
 * "Allow other devices" over a real network: a network namespace made by this
 * test, joined to this machine by a veth pair on a /30 of its own, plays the
 * phone. Turning the setting on moves the server to all interfaces at once;
 * the phone needs the token; turning it off closes the door again.
 * Needs root and iproute2 (CI has both); skipped where a namespace cannot be made.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp, type RunningApp } from "../../launcher/start";
import { assets } from "../../ui/dist/manifest";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, openShell } from "../ui/harness";
import { PhoneNamespace } from "./netns";

const phoneNs = new PhoneNamespace();
const available = phoneNs.make();
const HOST_IP = phoneNs.hostIp;
let dir: string;
let app: RunningApp;

/** curl from the phone's namespace: [status, body]; status 0 when it could not connect. */
const phone = (path: string, ...args: string[]) => phoneNs.curl(`http://${HOST_IP}:${app.port}${path}`, args);

async function setLan(on: boolean) {
  const moved = new Promise<{ host: string }>((resolve) => {
    const off = app.ctx.bus.on("server.listening", (e) => (off(), resolve(e)));
  });
  const res = await fetch(new URL("/api/config", app.url), { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ server: { allow_lan: on } }) });
  expect(res.status).toBe(200);
  expect((await moved).host).toBe(on ? "0.0.0.0" : "127.0.0.1");
}

beforeAll(async () => {
  if (!available) return;
  dir = mkdtempSync(join(tmpdir(), "ed-lan-netns-"));
  writeFileSync(join(dir, "config.yaml"), "ui:\n  open_window: false\n");
  app = await startApp({
    run: { server: true, noOpen: true, dataDir: dir, port: 20000 + Math.floor(Math.random() * 30000) },
    env: { ...readEnv({}), edHome: undefined },
    services: [],
    ui: assets,
    log: silentLogger,
  });
});
afterAll(async () => {
  if (!available) return;
  await app.stop();
  phoneNs.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!available)("a phone in its own network namespace", () => {
  test("cannot connect while other devices are not allowed", async () => {
    expect((await phone("/api/health"))[0]).toBe(0);
  });

  test("after 'Allow other devices': the token is needed; Bearer, the login link's cookie and Basic work; this machine needs none", async () => {
    await setLan(true);
    const lan = (await (await fetch(new URL("/api/lan", app.url))).json()) as { token: string; links: string[] };
    expect(lan.links.some((l) => l.startsWith(`http://${HOST_IP}:${app.port}/login?token=`))).toBe(true);
    expect((await phone("/api/health"))[0]).toBe(401);
    expect(await phone("/api/health", "-H", `Authorization: Bearer ${lan.token}`)).toEqual([200, '{"status":"ok"}']);
    expect((await phone("/api/health", "-u", `any:${lan.token}`))[0]).toBe(200);
    const jar = join(dir, "jar.txt");
    expect((await phone(`/login?token=${lan.token}`, "-c", jar))[0]).toBe(303);
    expect((await phone("/api/health", "-b", jar))[0]).toBe(200);
    // What the phone can see of /api/lan: no token.
    const [, body] = await phone("/api/lan", "-b", jar);
    expect(JSON.parse(body)).toEqual({ enabled: true, host: "0.0.0.0", port: app.port, pinned: false });
    expect((await fetch(new URL("/api/health", app.url))).status).toBe(200);
  });

  test("the phone's browser (Chromium in the namespace): the QR link logs it in, the app works, a new token logs it out", async () => {
    // Chromium started inside the phone's namespace by a wrapper playwright runs as its "executable".
    const wrapper = phoneNs.chromiumWrapper(dir);
    const browser = await chromium.launch({ executablePath: wrapper, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const origin = `http://${HOST_IP}:${app.port}`;
      // Without the token the app is the login page.
      await page.goto(`${origin}/`);
      expect(new URL(page.url()).pathname).toBe("/login");
      expect(await page.locator("form[action='/login'] input[name=token]").count()).toBe(1);
      // The link from the QR code: logged in, the app shell starts and talks to the API with its cookie.
      const lan = (await (await fetch(new URL("/api/lan", app.url))).json()) as { token: string; links: string[] };
      const link = lan.links.find((l) => l.startsWith(origin))!;
      await openShell(page, link);
      expect(new URL(page.url()).pathname).toBe("/");
      const cookie = (await page.context().cookies()).find((c) => c.name === "ed_session")!;
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe("Strict");
      expect(cookie.value).not.toContain(lan.token);
      expect(await page.evaluate(async () => (await fetch("/api/health")).status)).toBe(200);
      // No token for this device to read.
      expect(await page.evaluate(async () => Object.keys(await (await fetch("/api/lan")).json()))).not.toContain("token");
      // A new token (made on the computer) logs the phone out.
      expect((await fetch(new URL("/api/lan/token", app.url), { method: "POST" })).status).toBe(200);
      expect(await page.evaluate(async () => (await fetch("/api/health")).status)).toBe(401);
      await page.goto(`${origin}/`);
      expect(new URL(page.url()).pathname).toBe("/login");
      // Typing a wrong token says so.
      await page.fill("input[name=token]", "not-the-token");
      await page.click("button[type=submit]");
      expect(await page.locator(".error").textContent()).toContain("That token is not right");
    } finally {
      await browser.close();
    }
  }, 60_000);

  test("turned off again: the phone cannot connect", async () => {
    await setLan(false);
    expect((await phone("/api/health"))[0]).toBe(0);
    expect((await fetch(new URL("/api/health", app.url))).status).toBe(200);
  });
});
