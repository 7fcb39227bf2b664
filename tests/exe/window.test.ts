/**
 * The compiled executable with its native window, under a private Xvfb:
 * the window appears with its title and paints the UI, a second launch
 * brings it forward, closing it (WM_DELETE_WINDOW) exits 0, and without a
 * usable display the app falls back to the browser and keeps serving.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildTestExe, childPids, freePort, startExe, stopExe, testDataDir, type TestExe } from "./exe";
import { findWindows, requestClose, screenVariance, startXvfb, waitFor, windowName, type Xvfb } from "./x11";

let exe: TestExe;
let x: Xvfb;

const TITLE = "Easy Diffusion";

/** A stand-in `xdg-open` that records what it was asked to open. */
function fakeBrowser(dir: string): { bin: string; opened: () => string[] } {
  const bin = join(dir, "fakebin");
  mkdirSync(bin, { recursive: true });
  const log = join(dir, "opened.txt");
  writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\necho "$1" >> '${log}'\n`, { mode: 0o755 });
  return { bin, opened: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []) };
}

let browser: ReturnType<typeof fakeBrowser>;

/** The environment of a desktop session on `display`, whose browser is the stand-in. */
function desktopEnv(display: string | undefined): Record<string, string | undefined> {
  return { ...process.env, DISPLAY: display, WAYLAND_DISPLAY: undefined, PATH: `${browser.bin}:/usr/bin:/bin` };
}

/** Window host processes of this executable (listed, never signalled by name). */
function hostProcesses(file: string): number[] {
  const r = Bun.spawnSync(["pgrep", "-f", `^${file} __window-host`], { stdout: "pipe" });
  return r.stdout.toString().split("\n").filter(Boolean).map(Number);
}

/** Reads the event stream until an event of `type` arrives. */
async function waitForEvent(url: string, type: string, timeoutMs = 15000): Promise<string> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    const res = await fetch(new URL("api/events?lastEventId=0", url), { signal: ctrl.signal });
    const decoder = new TextDecoder();
    let text = "";
    for await (const chunk of res.body!) {
      text += decoder.decode(chunk, { stream: true });
      const m = text.match(new RegExp(`event: ${type.replace(".", "\\.")}\\ndata: (.*)\\n`));
      if (m) return m[1]!;
    }
    throw new Error(`stream ended without ${type}`);
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
}

beforeAll(async () => {
  [exe, x] = await Promise.all([buildTestExe(), startXvfb(93)]);
  browser = fakeBrowser(exe.dir);
}, 120000);

afterAll(async () => {
  await x?.stop();
  exe?.cleanup();
});

describe("GUI under Xvfb", () => {
  test("window titled Easy Diffusion shows the UI; a second launch focuses it; closing it exits 0", async () => {
    const data = testDataDir(exe.dir, "gui");
    const app = startExe(exe.file, ["--port", String(await freePort()), "--data-dir", data], { cwd: exe.dir, env: desktopEnv(x.display) });
    try {
      const [, url] = await app.waitForOutput(/running at (http:\/\/\S+)/);
      const [id] = await waitFor("the window", () => findWindows(x.display, TITLE).length > 0 && findWindows(x.display, TITLE));
      expect(windowName(x.display, id!)).toBe(TITLE);
      expect(app.output()).not.toContain("Could not open the app window");

      // The UI renders: the shell's dark chrome plus text gives a clearly non-uniform screen.
      const shot = join(exe.dir, "window.png");
      const variance = await waitFor("a painted window", () => {
        const v = screenVariance(x.display, shot);
        return v.stddev > 0.02 && v;
      });
      expect(variance.stddev).toBeGreaterThan(0.02);

      // A second launch hands over to the running app and exits 0.
      const second = startExe(exe.file, ["--data-dir", data], { cwd: exe.dir, env: desktopEnv(x.display) });
      expect(await second.exit(20000)).toBe(0);
      expect(second.output()).toContain("already running");
      expect(await waitForEvent(url!, "window.focus")).toBe("{}");
      expect(app.proc.exitCode).toBeNull();
      expect((await fetch(new URL("api/health", url))).status).toBe(200);
      expect(findWindows(x.display, TITLE)).toHaveLength(1);
      // The second launch's early window host was told to go, not left behind.
      await waitFor("one window host", () => hostProcesses(exe.file).length === 1, 5000);

      const host = childPids(app.proc.pid);
      expect(host.length).toBeGreaterThan(0);
      requestClose(x.display, id!);
      expect(await app.exit(10000)).toBe(0);
      expect(existsSync(join(data, "instance.lock"))).toBe(false);
      await waitFor("the window host to exit", () => host.every((pid) => !existsSync(`/proc/${pid}`)), 5000);
    } finally {
      app.kill("SIGKILL");
    }
  }, 90000);

  test("SIGTERM closes the window and exits 0", async () => {
    const data = testDataDir(exe.dir, "gui-term");
    const app = startExe(exe.file, ["--port", String(await freePort()), "--data-dir", data], { cwd: exe.dir, env: desktopEnv(x.display) });
    try {
      await app.waitForOutput(/running at/);
      await waitFor("the window", () => findWindows(x.display, TITLE).length > 0);
      const host = childPids(app.proc.pid);
      app.kill("SIGTERM");
      expect(await app.exit(10000)).toBe(0);
      await waitFor("the window to go", () => findWindows(x.display, TITLE).length === 0, 5000);
      await waitFor("the window host to exit", () => host.every((pid) => !existsSync(`/proc/${pid}`)), 5000);
    } finally {
      app.kill("SIGKILL");
    }
  }, 60000);
});

describe("fallback", () => {
  for (const [name, display] of [
    ["no display at all", undefined],
    ["a display that cannot be opened", ":799"],
  ] as const) {
    test(`${name}: says so and keeps serving`, async () => {
      const data = testDataDir(exe.dir, `nodisplay-${display ?? "none"}`);
      const app = startExe(exe.file, ["--port", String(await freePort()), "--data-dir", data], { cwd: exe.dir, env: desktopEnv(display) });
      try {
        const [, url] = await app.waitForOutput(/running at (http:\/\/\S+)/);
        await app.waitForOutput(/Could not open the app window \((.+)\); opened it in your browser instead\./);
        if (!display) expect(app.output()).toContain("DISPLAY");
        else expect(app.output()).toContain("GTK");
        await waitFor("the browser to be asked", () => browser.opened().includes(url!), 5000);
        expect((await fetch(new URL("api/health", url))).status).toBe(200);
        expect(app.proc.exitCode).toBeNull();
        expect(await stopExe(app)).toBe(0);
      } finally {
        app.kill("SIGKILL");
      }
    }, 60000);
  }

  test("ui.open_window: false serves without a window and leaves no window host", async () => {
    const data = testDataDir(exe.dir, "nowindow");
    writeFileSync(join(data, "config.yaml"), "ui:\n  open_window: false\nengine:\n  api_base: http://127.0.0.1:9/\n");
    const app = startExe(exe.file, ["--port", String(await freePort()), "--data-dir", data], { cwd: exe.dir, env: desktopEnv(x.display) });
    try {
      const [, url] = await app.waitForOutput(/running at (http:\/\/\S+)/);
      await waitFor("the early window host to exit", () => childPids(app.proc.pid).length === 0, 10000);
      expect(findWindows(x.display, TITLE)).toHaveLength(0);
      expect((await fetch(new URL("api/health", url))).status).toBe(200);
      expect(await stopExe(app)).toBe(0);
    } finally {
      app.kill("SIGKILL");
    }
  }, 60000);

  test("--no-open serves without a window", async () => {
    const data = testDataDir(exe.dir, "noopen");
    const app = startExe(exe.file, ["--no-open", "--port", String(await freePort()), "--data-dir", data], {
      cwd: exe.dir,
      env: desktopEnv(x.display),
    });
    try {
      await app.waitForOutput(/running at/);
      // Barriers, not a pause: an early window host starts before the server listens, a late one in the same
      // synchronous step that follows the log's "ready" line (main.ts). Once that line is written, either would be a child now.
      const log = join(data, "logs", "easy-diffusion.log");
      await waitFor("the log's ready line", () => existsSync(log) && /ready \d+ ms after exec/.test(readFileSync(log, "utf8")), 10000);
      expect(childPids(app.proc.pid)).toHaveLength(0);
      expect(await stopExe(app)).toBe(0);
    } finally {
      app.kill("SIGKILL");
    }
  }, 60000);
});
