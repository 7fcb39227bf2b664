/**
 * The baseline for "exec → window mapped" (issue 19: the app's window within
 * 1.4× of a minimal webview-napi app): an executable compiled in the same
 * run that does nothing but open one webview-napi window on a tiny page and
 * pump its events. Measured under the same Xvfb as the app, with the same
 * polling for the mapped window, and by default with the WebKit environment
 * the app's window runs with (launcher/window/open.ts `hostEnvironment`:
 * compositing off, chosen for idle CPU under software GL, which costs
 * ~60 ms at map in any webview): the ratio is then the app's own overhead.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readEnv } from "../core/env";
import { hostEnvironment } from "../launcher/window/open";
import { findWindows } from "../tests/exe/x11";

export const MINIMAL_TITLE = "Minimal webview";

/** Compiles the minimal app into `work`; returns the executable's path. */
export function buildMinimalWindow(work: string): string {
  const binding = join(import.meta.dir, "..", "node_modules", "webview-napi", `webview-napi.${process.platform}-${process.arch}-gnu.node`);
  const source = join(work, "minimal-window.ts");
  writeFileSync(
    source,
    [
      `const { Application } = require(${JSON.stringify(binding)});`,
      "const app = new Application({ exitOnLastWindowClosed: true });",
      `const win = app.createBrowserWindow({ title: ${JSON.stringify(MINIMAL_TITLE)}, width: 1280, height: 800, focused: true, visible: true });`,
      'win.createWebview({ url: "data:text/html,<p>minimal</p>" });',
      "for (;;) {",
      "  const status = app.pollEvents();",
      "  if (status.exitRequested || status.windowCount === 0) break;",
      "  await Bun.sleep(5);",
      "}",
      "",
    ].join("\n"),
  );
  const file = join(work, "minimal-window");
  const built = Bun.spawnSync(["bun", "build", "--compile", "--minify", source, "--outfile", file], { stdout: "pipe", stderr: "pipe" });
  if (built.exitCode !== 0) throw new Error(built.stderr.toString());
  return file;
}

/** Median exec → mapped of the minimal app over `runs` starts on `display`; `webkit`: its WebKit environment
 *  (the app window's by default; `{}` for WebKit's own defaults). */
export async function minimalWindowMapped(exe: string, display: string, runs: number, webkit = hostEnvironment(readEnv())): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const base: Record<string, string | undefined> = { ...process.env, WEBKIT_DISABLE_COMPOSITING_MODE: undefined };
    const env = { ...base, ...webkit, DISPLAY: display, WAYLAND_DISPLAY: undefined } as unknown as Record<string, string>;
    const t0 = performance.now();
    const proc = Bun.spawn([exe], { stdout: "ignore", stderr: "ignore", env });
    while (findWindows(display, MINIMAL_TITLE).length === 0) {
      if (performance.now() - t0 > 20000 || proc.exitCode !== null) throw new Error(`the minimal window never mapped on ${display}`);
      await Bun.sleep(2);
    }
    times.push(performance.now() - t0);
    proc.kill();
    await proc.exited;
  }
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

if (import.meta.main) {
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { startXvfb } = await import("../tests/exe/x11");
  const work = mkdtempSync(join(tmpdir(), "ed-minwin-"));
  const x = await startXvfb(97);
  try {
    const exe = buildMinimalWindow(work);
    const ms = await minimalWindowMapped(exe, x.display, 5);
    const defaults = await minimalWindowMapped(exe, x.display, 5, {});
    console.log(
      `minimal webview-napi window: exec → mapped ${ms.toFixed(0)} ms as the app's window runs WebKit, ` +
        `${defaults.toFixed(0)} ms with WebKit's defaults (medians of 5)`,
    );
  } finally {
    await x.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
