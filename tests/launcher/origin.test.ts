/**
 * Same origin means scheme, host AND port: every state-changing route of the
 * real app (all services wired as the executable wires them) refuses a page
 * served from another port of this machine, by Origin or by Fetch Metadata,
 * over a real socket. Routes added later are covered without editing this test.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp, type RunningApp } from "../../launcher/start";
import { appServices } from "../../launcher/wiring";
import { assets } from "../../ui/dist/manifest";

let dir: string;
let app: RunningApp;
let config: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ed-origin-"));
  config = join(dir, "config.yaml");
  // The engine's release API points at a closed local port: nothing is downloaded.
  writeFileSync(config, "ui:\n  open_window: false\nengine:\n  api_base: http://127.0.0.1:9/\n");
  app = await startApp({
    run: { server: true, noOpen: true, dataDir: dir, port: 20000 + Math.floor(Math.random() * 30000), host: "127.0.0.1" },
    env: { ...readEnv({}), edHome: undefined },
    services: appServices(),
    ui: assets,
    log: silentLogger,
  });
});
afterAll(async () => {
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
});

const SAFE = new Set(["GET", "HEAD", "OPTIONS", "ALL"]);

/** Every non-GET route as [method, concrete path], parameters filled with a harmless value. */
function stateChangingRoutes(): [string, string][] {
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const r of app.app.routes) {
    if (SAFE.has(r.method) || r.path.includes("*")) continue;
    const path = r.path.replace(/:[A-Za-z_]+(\{[^}]*\})?/g, "x");
    const key = `${r.method} ${path}`;
    if (!seen.has(key)) seen.add(key), out.push([r.method, path]);
  }
  return out;
}

const send = (method: string, path: string, headers: Record<string, string>) =>
  fetch(new URL(path, app.url), { method, headers: { "content-type": "application/json", ...headers }, body: method === "DELETE" ? undefined : "{}" });

describe("cross-port requests from this machine", () => {
  test("the app has state-changing routes from every service (config, engine, tasks, queue …)", () => {
    const paths = stateChangingRoutes().map(([m, p]) => `${m} ${p}`);
    for (const expected of ["PATCH /api/config", "PUT /api/ui-state", "POST /api/engine/install", "POST /api/engine/import", "POST /api/tasks", "PATCH /api/queue"])
      expect(paths).toContain(expected);
  });

  test("a page on another port of localhost, 127.0.0.1 or [::1] gets 403 on every state-changing route", async () => {
    const before = readFileSync(config, "utf8");
    const other = app.port === 65535 ? app.port - 1 : app.port + 1;
    const origins = ["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000", `http://localhost:${other}`, "http://127.0.0.1", "https://127.0.0.1:" + app.port];
    const refused: string[] = [];
    const accepted: string[] = [];
    for (const [method, path] of stateChangingRoutes()) {
      for (const origin of origins) {
        const res = await send(method, path, { origin });
        const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
        (res.status === 403 && body?.error?.code === "forbidden_origin" ? refused : accepted).push(`${origin} ${method} ${path} → ${res.status}`);
      }
      // No Origin, but the browser says the page is on the same site (another port): refused too.
      const res = await send(method, path, { "sec-fetch-site": "same-site" });
      (res.status === 403 ? refused : accepted).push(`same-site ${method} ${path} → ${res.status}`);
    }
    expect(accepted).toEqual([]);
    expect(refused.length).toBeGreaterThan(stateChangingRoutes().length * origins.length);
    expect(readFileSync(config, "utf8")).toBe(before);
  });

  test("the app's own origin, by any local name on its port, is served", async () => {
    for (const name of ["127.0.0.1", "localhost", "[::1]"]) {
      const res = await send("PATCH", "/api/config", { origin: `http://${name}:${app.port}` });
      expect(res.status).toBe(200);
    }
    const sameOrigin = await send("PATCH", "/api/config", { "sec-fetch-site": "same-origin" });
    expect(sameOrigin.status).toBe(200);
  });
});
