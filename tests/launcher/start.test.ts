import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnv } from "../../core/env";
import { startApp } from "../../launcher/start";
import { silentLogger } from "../../core/log";
import type { ServiceFactory } from "../../core/services";
import { Hono } from "hono";

const run = (dataDir: string, port: number) => ({ server: true, noOpen: true, dataDir, port });

test("a service that fails to start leaves no port bound and no lock held", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ed-start-"));
  const port = 21000 + Math.floor(Math.random() * 20000);
  try {
    const failing = () => ({ name: "broken", start: () => Promise.reject(new Error("no can do")) });
    await expect(startApp({ run: run(dir, port), env: readEnv(), services: [failing], log: silentLogger })).rejects.toThrow("no can do");
    expect(existsSync(join(dir, "instance.lock"))).toBe(false);
    // The same port and data dir start cleanly right after.
    const app = await startApp({ run: run(dir, port), env: readEnv(), services: [], log: silentLogger });
    expect(app.port).toBe(port);
    expect((await fetch(`${app.url}api/health`)).status).toBe(200);
    await app.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** startApp whose services load only once `release()` is called; the server listens meanwhile. */
function startHeld(dir: string, port: number, load: () => ServiceFactory[]) {
  const loading = Promise.withResolvers<void>();
  const held = Promise.withResolvers<void>();
  const started = startApp({
    run: run(dir, port),
    env: readEnv(),
    services: async () => {
      loading.resolve();
      await held.promise;
      return load();
    },
    log: silentLogger,
  });
  started.catch(() => {});
  return { listening: loading.promise, release: () => held.resolve(), started };
}

test("the server listens before the services load: health answers at once, other requests wait for their routes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ed-start-"));
  const port = 21000 + Math.floor(Math.random() * 20000);
  const late: ServiceFactory = () => ({ name: "late", routes: { "/late": new Hono().get("/", (c) => c.json({ late: true })) } });
  const held = startHeld(dir, port, () => [late]);
  try {
    await held.listening;
    const base = `http://127.0.0.1:${port}/`;
    const health = await fetch(`${base}api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    // Asked before the service exists: answered by its route once it does (a 404 now would fail below).
    const lateAnswer = fetch(`${base}api/late`);
    const config = fetch(`${base}api/config`);
    await Bun.sleep(50); // both requests reach the server while the services are held
    held.release();
    const res = await lateAnswer;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ late: true });
    expect((await config).status).toBe(200);
    const app = await held.started;
    expect((await fetch(`${app.url}api/late`)).status).toBe(200);
  } finally {
    held.release();
    await held.started.then((app) => app.stop()).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
});

test("requests waiting for services that fail to load get 503, and the start fails", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ed-start-"));
  const port = 21000 + Math.floor(Math.random() * 20000);
  const held = startHeld(dir, port, () => {
    throw new Error("modules missing");
  });
  try {
    await held.listening;
    const waiting = fetch(`http://127.0.0.1:${port}/api/config`).catch((err: Error) => err);
    await Bun.sleep(50); // the request reaches the server while the services are held
    held.release();
    await expect(held.started).rejects.toThrow("modules missing");
    const res = await waiting;
    if (!(res instanceof Response)) throw res;
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("start_failed");
    expect(existsSync(join(dir, "instance.lock"))).toBe(false);
  } finally {
    held.release();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("main's hooks come in order: locked (with the config), listening (with the URL), then the services", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ed-start-"));
  const port = 21000 + Math.floor(Math.random() * 20000);
  const steps: string[] = [];
  try {
    const service: ServiceFactory = () => (steps.push("services"), { name: "s" });
    const app = await startApp({
      run: run(dir, port),
      env: readEnv(),
      log: silentLogger,
      services: [service],
      onLocked: ({ config }) => steps.push(`locked ${config.ui.theme}`),
      onListening: ({ url }) => steps.push(`listening ${url}`),
    });
    expect(steps).toEqual(["locked dark", `listening http://127.0.0.1:${port}/`, "services"]);
    await app.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("before the config is read: only this computer's health and version answer; the port as the schema reads it", async () => {
  const { DEFAULT_PORT, earlyAnswer, peekPort } = await import("../../launcher/server/early-answer");
  const { defaultConfig } = await import("../../core/config/schema");
  expect(DEFAULT_PORT).toBe(defaultConfig().server.port);
  expect(peekPort({ server: { port: 9123 } })).toBe(9123);
  for (const odd of [undefined, "x", { server: { port: "9123" } }, { server: { port: 0 } }, { server: { port: 70000 } }, { server: { port: 9.5 } }]) {
    expect(peekPort(odd)).toBe(DEFAULT_PORT);
  }
  const req = (path: string, headers: Record<string, string> = {}, method = "GET") =>
    new Request(`http://127.0.0.1:9000${path}`, { method, headers: { host: "127.0.0.1:9000", ...headers } });
  const health = earlyAnswer(req("/api/health"), "127.0.0.1", 9000)!;
  expect([health.status, await health.json(), health.headers.get("x-content-type-options")]).toEqual([200, { status: "ok" }, "nosniff"]);
  expect(((await earlyAnswer(req("/api/version"), "::1", 9000)!.json()) as { name: string }).name).toBe("Easy Diffusion");
  // Everything else waits for the app and its gates.
  expect(earlyAnswer(req("/api/health"), "192.168.1.20", 9000)).toBeUndefined();
  expect(earlyAnswer(req("/api/health"), undefined, 9000)).toBeUndefined();
  expect(earlyAnswer(req("/api/health", { host: "evil.example:9000" }), "127.0.0.1", 9000)).toBeUndefined();
  expect(earlyAnswer(req("/api/health", { host: "127.0.0.1:9001" }), "127.0.0.1", 9000)).toBeUndefined();
  expect(earlyAnswer(req("/api/health", { origin: "http://127.0.0.1:8080" }), "127.0.0.1", 9000)).toBeUndefined();
  expect(earlyAnswer(req("/api/health", {}, "POST"), "127.0.0.1", 9000)).toBeUndefined();
  expect(earlyAnswer(req("/api/config"), "127.0.0.1", 9000)).toBeUndefined();
});

test("the early bind is on loopback; allow_lan in the config makes the start listen again on all interfaces", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ed-start-"));
  const port = 21000 + Math.floor(Math.random() * 20000);
  try {
    writeFileSync(join(dir, "config.yaml"), `server:\n  port: ${port}\n  allow_lan: true\n`);
    const app = await startApp({ run: { server: true, noOpen: true, dataDir: dir }, env: readEnv(), services: [], log: silentLogger });
    expect(app.port).toBe(port);
    expect(app.ctx.listening?.host).toBe("0.0.0.0");
    expect((await fetch(`${app.url}api/health`)).status).toBe(200);
    await app.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
