/**
 * Runs the app: headless (`--server`) or with its native window, which
 * starts first (a child process on a blank page of the app's colour) so it
 * maps while the server starts; a second launch hands over to the running
 * app instead.
 */
import type { Command } from "./cli/args";
import { readEnv } from "../core/env";
import { resolvePaths } from "../core/paths";
import { openInBrowser } from "../core/system/opener";
import type { AlreadyRunningError, RunningApp } from "./start";
import type { Config } from "../core/config/schema";
import { blankPage } from "./window/blank-page";
import { earlyWindow } from "./window/early-window";
import { readConfigYaml } from "../core/config/read-yaml";
import { lockHolder } from "./instance/lock";
import type { WindowHost } from "./window/open";
import { VERSION } from "../core/version";

const FORCE_EXIT_MS = 2000;

export async function runApp(command: Extract<Command, { kind: "run" }>): Promise<number> {
  const env = readEnv();
  const { options } = command;
  const window = !options.server && !options.noOpen ? await import("./window/open") : undefined;
  const paths = resolvePaths(env, { dataDir: options.dataDir, config: options.config });
  const cacheDir = paths.cache;
  // The window starts first, on a blank page of the app's colour: it maps while the server starts. Not for a
  // second launch (it hands over) nor when config.yaml turns the window off (early-window.ts).
  let host: WindowHost | undefined;
  let configYaml: Promise<unknown> | undefined;
  if (window && !window.windowUnavailableReason(env)) {
    configYaml = readConfigYaml(paths.config);
    const early = earlyWindow(await configYaml, lockHolder(paths.lock) !== undefined);
    const started = early.open ? window.startWindowHost(env, { url: blankPage(early.theme), cacheDir }) : undefined;
    host = started && !("error" in started) ? started : undefined;
  }
  // On a small machine the window's start and the app's compete for the cores: the window first, for at most a
  // second (its page waits for the server either way). The services' modules load once the server listens
  // (startApp), so /api/health answers first.
  if (host) await Promise.race([host.first, Bun.sleep(1000)]);
  const [start, { assets }] = await Promise.all([import("./start"), import("../ui/dist/manifest")]);
  const services = async () => (await import("./wiring")).appServices({ server: options.server });
  // The config as the schema reads it has the last word on the window; the window gets the app's URL as soon as
  // the server listens (its page waits for the services).
  let shown = false;
  const onLocked = ({ config }: { config: Config }) => {
    if (config.ui.open_window) return;
    host?.cancel();
    host = undefined;
  };
  const onListening = ({ url }: { url: string }) => {
    host?.send({ cmd: "open", url });
    shown = !!host;
  };
  let app: RunningApp;
  try {
    app = await start.startApp({ run: options, env, services, ui: assets, onLocked, onListening, configYaml });
  } catch (err) {
    host?.cancel();
    if (err instanceof start.AlreadyRunningError) return handOver(err, options.server);
    throw err;
  }
  let closeWindow: (() => Promise<void>) | undefined;
  let stopping = false;
  const shutdown = (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    // Whatever hangs, the process is gone within 2 s.
    setTimeout(() => process.exit(code), FORCE_EXIT_MS).unref();
    void Promise.all([closeWindow?.(), app.stop(reason)]).then(() => process.exit(code));
  };
  // Before the URL is printed: whoever reads it may signal us at once.
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));

  if (app.moved) console.log(`Port ${options.port ?? app.ctx.config.config.server.port} is in use; using ${app.port} instead.`);
  console.log(`Easy Diffusion ${VERSION} is running at ${app.url}`);
  const announceLan = async () => {
    const { lanEnabled } = await import("./access/routes");
    if (!lanEnabled(app.ctx.listening)) return;
    const [{ lanAnnouncement }, { AccessToken }] = await Promise.all([import("./access/terminal"), import("./access/token")]);
    console.log(lanAnnouncement(app.ctx.listening!, new AccessToken(app.paths.lanToken), !!process.stdout.isTTY));
  };
  await announceLan();
  app.ctx.bus.on("server.listening", () => void announceLan());
  app.ctx.log.info(`ready ${Math.round(performance.now())} ms after exec`);

  if (window && app.ctx.config.config.ui.open_window) {
    const useBrowser = async (why: string) => {
      const opened = await openInBrowser(app.url);
      console.log(`${why}; ${opened ? "opened it in your browser instead" : `no browser could be opened: open ${app.url} in your browser`}.`);
      // Windows' GUI program has no console: it says so in a box, which also stops the app. Windows' opener
      // (`cmd /c start`) exits 0 whether or not a browser opened, so the box shows either way there.
      const box = await import("./window/message-box");
      if (!box.isGuiProgram(process.execPath, env.platform)) return;
      const message = box.noWindowMessage(app.url, why, opened);
      app.ctx.log.warn("no window: telling the user in a message box", { message });
      if (await box.showMessageBox("Easy Diffusion", message)) shutdown("message box closed");
    };
    const result = await window.openWindow({
      host,
      opened: shown,
      url: app.url,
      bus: app.ctx.bus,
      log: app.ctx.log,
      env,
      cacheDir,
      onClosed: () => shutdown("window closed"),
      onLost: (reason) => {
        if (!stopping) void useBrowser(`The app window stopped (${reason})`);
      },
    });
    if (result.ok) closeWindow = result.close;
    else await useBrowser(`Could not open the app window (${result.reason})`);
  } else {
    host?.cancel();
    if (options.server) console.log("Press Ctrl+C to stop.");
  }
  return -1; // keep running
}

/** A second launch: bring the running app forward (GUI) or refuse (server). */
async function handOver(err: AlreadyRunningError, server: boolean): Promise<number> {
  if (server) {
    console.error(`error: ${err.message}. Stop it first, or use another --data-dir.`);
    return 1;
  }
  const url = err.holder.url;
  if (err.holder.mode === "gui" && url) {
    const res = await fetch(new URL("api/window/focus", url), { method: "POST" }).catch(() => undefined);
    if (res?.ok) {
      console.log(`Easy Diffusion is already running; brought its window forward (${url}).`);
      return 0;
    }
  }
  if (url && (await openInBrowser(url))) {
    console.log(`Easy Diffusion is already running at ${url}; opened it in your browser.`);
    return 0;
  }
  console.log(`Easy Diffusion is already running at ${url || "(starting up)"}.`);
  return 0;
}

