/**
 * The window host: this same executable started as a child of the app
 * (`easy-diffusion __window-host --url …`). It owns the native window so the
 * server process never loads GTK/WebKit, a crash in the webview cannot take
 * the server down, and its event loop can block while idle. It reports
 * `ready`, `closed` or `error` on stdout and takes `focus`/`close` on stdin;
 * when the app goes away its stdin ends and the window closes.
 */
import { writeSync } from "node:fs";
import { parseArgs } from "node:util";
import { readEnv } from "../../core/env";
import { resolvePaths } from "../../core/paths";
import { idleWait, type IdleWait } from "./idle-wait";
import { loadWebview } from "./native";
import { webview2Version } from "./webview2";
import { encodeLine, type HostEvent } from "./protocol";

export interface WindowSpec {
  /** The page to show (main starts the host on a blank page and sends the app's URL as an `open` command);
   *  without one the window stays hidden until an `open` command names it. */
  url?: string;
  title: string;
  width: number;
  height: number;
  /** Where the webview binding is unpacked (Paths.cache); the default data folder's when missing. */
  cacheDir?: string;
}

export function parseHostArgs(argv: string[]): WindowSpec {
  const { values } = parseArgs({
    args: argv,
    options: { url: { type: "string" }, title: { type: "string" }, width: { type: "string" }, height: { type: "string" }, "cache-dir": { type: "string" } },
    strict: true,
  });
  return {
    url: values.url || undefined,
    title: values.title ?? "Easy Diffusion",
    width: Number(values.width ?? 1280),
    height: Number(values.height ?? 800),
    cacheDir: values["cache-dir"] || undefined,
  };
}

export function hostArgs(spec: WindowSpec): string[] {
  const size = ["--title", spec.title, "--width", String(spec.width), "--height", String(spec.height)];
  const cache = spec.cacheDir ? ["--cache-dir", spec.cacheDir] : [];
  return spec.url ? ["--url", spec.url, ...size, ...cache] : [...size, ...cache];
}

function send(event: HostEvent) {
  try {
    writeSync(1, encodeLine(event));
  } catch {
    // The app is gone; the closed stdin ends the loop.
  }
}

export async function runWindowHost(argv: string[]): Promise<number> {
  const started = performance.now();
  // Ctrl+C in a terminal reaches the whole process group: the app closes us through stdin instead.
  process.on("SIGINT", () => {});
  let spec: WindowSpec;
  try {
    spec = parseHostArgs(argv);
  } catch (err) {
    send({ event: "error", message: (err as Error).message });
    return 2;
  }
  let app: InstanceType<ReturnType<typeof loadWebview>["Application"]>;
  let win: ReturnType<typeof app.createBrowserWindow>;
  let view: ReturnType<typeof win.createWebview>;
  if (process.platform === "win32" && !(await webview2Version())) {
    send({ event: "error", message: "the Microsoft Edge WebView2 Runtime is not installed" });
    return 1;
  }
  try {
    const webview = loadWebview(spec.cacheDir ?? resolvePaths(readEnv()).cache);
    app = new webview.Application({ exitOnLastWindowClosed: true });
    // Started early, the window stays hidden on a blank page (WebKit's processes start meanwhile)
    // until `open` names the URL.
    win = app.createBrowserWindow({ title: spec.title, width: spec.width, height: spec.height, focused: true, visible: !!spec.url });
    view = win.createWebview({ url: spec.url ?? "about:blank" });
  } catch (err) {
    // Rust errors carry a debug dump after the sentence (": BoolError { … }"); keep the sentence.
    const message = ((err as Error).message ?? String(err)).split("\n")[0]!.replace(/[:!]*\s*\w+ \{.*$/, "");
    send({ event: "error", message });
    return 1;
  }

  let idle: IdleWait | undefined;
  for (;;) {
    const status = app.pollEvents();
    if (status.exitRequested || status.windowCount === 0) break;
    if (!idle) {
      // The first pump maps the window: ready once it has (the app waits for this before loading its own
      // modules), and the idle wait is set up after it.
      if (spec.url) send({ event: "ready", ms: Math.round(performance.now() - started) });
      idle = idleWait();
    }
    const commands = idle.take();
    for (const command of commands) {
      if (command.cmd === "open") {
        view.loadUrl(command.url);
        win.show();
        send({ event: "ready", ms: Math.round(performance.now() - started) });
      } else if (command.cmd === "focus") {
        win.setMinimized(false);
        win.show();
        win.focus();
      } else if (command.cmd === "close") {
        win.close();
      }
    }
    // After a command, pump again at once so its effect (a close) is seen.
    if (commands.length === 0) await idle.wait();
  }
  send({ event: "closed" });
  return 0;
}
