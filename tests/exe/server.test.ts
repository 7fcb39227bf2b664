/**
 * The compiled executable in `--server` mode and its command line, run from
 * a folder with no node_modules or ui/dist next to it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildTestExe, freePort, runExe, startExe, stopExe, testDataDir, type TestExe } from "./exe";

let exe: TestExe;

beforeAll(async () => {
  exe = await buildTestExe();
}, 120000);

afterAll(() => exe?.cleanup());

describe("command line", () => {
  test("--version and --help exit 0", async () => {
    const v = await runExe(exe.file, ["--version"], exe.dir);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^easy-diffusion \d+\.\d+\.\d+/);
    const h = await runExe(exe.file, ["--help"], exe.dir);
    expect(h.code).toBe(0);
    expect(h.out).toContain("--server");
    expect(h.out).toContain("--data-dir");
  });

  test("an unknown flag exits 2 and names it", async () => {
    const r = await runExe(exe.file, ["--frobnicate"], exe.dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain("--frobnicate");
    expect(r.out).toContain("--help");
  });

  test("a bad --port exits 2 and says why", async () => {
    for (const bad of ["abc", "0", "70000"]) {
      const r = await runExe(exe.file, ["--server", "--port", bad], exe.dir);
      expect(r.code).toBe(2);
      expect(r.out).toContain("--port");
    }
  });
});

describe("--server", () => {
  test("serves health and the embedded UI, stops on SIGTERM with exit 0, releases the lock, loads no GTK", async () => {
    const data = testDataDir(exe.dir, "serve");
    const port = await freePort();
    const app = startExe(exe.file, ["--server", "--port", String(port), "--data-dir", data], { cwd: exe.dir });
    const [, url] = await app.waitForOutput(/running at (http:\/\/\S+)/);
    expect(url).toBe(`http://127.0.0.1:${port}/`);

    const health = await fetch(new URL("api/health", url));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain("<title>Easy Diffusion</title>");
    const script = html.match(/src="\.?\/?(assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(new URL(script!, url));
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toContain("javascript");
    expect(js.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(new URL("api/nope", url))).status).toBe(404);

    const maps = readFileSync(`/proc/${app.proc.pid}/maps`, "utf8");
    expect(maps).not.toMatch(/libgtk|libwebkit/);
    expect(existsSync(join(data, "instance.lock"))).toBe(true);

    const t0 = performance.now();
    expect(await stopExe(app)).toBe(0);
    // 2 s is the promise; allow for a loaded machine.
    expect(performance.now() - t0).toBeLessThan(4000);
    expect(existsSync(join(data, "instance.lock"))).toBe(false);
  }, 60000);

  test("SIGINT stops it too", async () => {
    const data = testDataDir(exe.dir, "sigint");
    const app = startExe(exe.file, ["--server", "--port", String(await freePort()), "--data-dir", data], { cwd: exe.dir });
    await app.waitForOutput(/running at/);
    expect(await stopExe(app, "SIGINT")).toBe(0);
  }, 60000);

  test("a taken port moves to the next free one and says so", async () => {
    const port = await freePort();
    const blocker = Bun.serve({ port, hostname: "127.0.0.1", fetch: () => new Response("other app") });
    try {
      const app = startExe(exe.file, ["--server", "--port", String(port), "--data-dir", testDataDir(exe.dir, "moved")], { cwd: exe.dir });
      const [, used] = await app.waitForOutput(/running at http:\/\/127\.0\.0\.1:(\d+)\//);
      expect(Number(used)).toBeGreaterThan(port);
      expect(app.output()).toContain(`Port ${port} is in use; using ${used} instead.`);
      expect((await fetch(`http://127.0.0.1:${used}/api/health`)).status).toBe(200);
      expect(await stopExe(app)).toBe(0);
    } finally {
      blocker.stop(true);
    }
  }, 60000);

  test("a second --server on the same data dir fails with a clear message; the first keeps serving", async () => {
    const data = testDataDir(exe.dir, "twice");
    const first = startExe(exe.file, ["--server", "--port", String(await freePort()), "--data-dir", data], { cwd: exe.dir });
    const [, url] = await first.waitForOutput(/running at (http:\/\/\S+)/);
    const second = await runExe(exe.file, ["--server", "--port", String(await freePort()), "--data-dir", data], exe.dir);
    expect(second.code).not.toBe(0);
    expect(second.out).toContain("already running");
    expect(second.out).toContain(`pid ${first.proc.pid}`);
    expect((await fetch(new URL("api/health", url))).status).toBe(200);
    expect(await stopExe(first)).toBe(0);
  }, 60000);
});
