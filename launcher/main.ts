#!/usr/bin/env bun
/**
 * Entry point of the `easy-diffusion` executable: parse the command line,
 * then run the app headless (`--server`) or with its window.
 */
import { parseCommand, UsageError, type Command } from "./cli/args";
import { ENGINE_HELP, HELP, WORKER_HELP } from "./cli/help";
import { readEnv } from "../core/env";
import { resolvePaths } from "../core/paths";
import { openInBrowser } from "../core/system/opener";
import { MESSAGE_BOX_ARG, WINDOW_HOST_ARG } from "./window/protocol";
import type { AlreadyRunningError, RunningApp } from "./start";
import type { Config } from "../core/config/schema";
import { blankPage } from "./window/blank-page";
import { earlyWindow } from "./window/early-window";
import { readConfigYaml } from "../core/config/read-yaml";
import { lockHolder } from "./instance/lock";
import type { WindowHost } from "./window/open";
import { VERSION } from "../core/version";

const FORCE_EXIT_MS = 2000;

async function runApp(command: Extract<Command, { kind: "run" }>): Promise<number> {
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
  // Loaded here, not at the top: --version, --help and the window host never pay for the app's modules.
  // The services' modules load once the server listens (startApp), so /api/health answers first.
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
  // On a small machine the window's start and the services' load compete for the cores: the window first
  // (the page's requests wait for the services either way), for at most a second.
  const beforeServices = () => host && Promise.race([host.first, Bun.sleep(1000)]);
  let app: RunningApp;
  try {
    app = await start.startApp({ run: options, env, services, ui: assets, onLocked, onListening, beforeServices, configYaml });
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

async function main(argv: string[]): Promise<number> {
  // This executable started by itself to own the native window (see window/host.ts).
  if (argv[0] === WINDOW_HOST_ARG) {
    const { runWindowHost } = await import("./window/host");
    return runWindowHost(argv.slice(1));
  }
  if (argv[0] === MESSAGE_BOX_ARG) {
    const { runMessageBox } = await import("./window/message-box");
    return runMessageBox(argv.slice(1));
  }
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`easy-diffusion: ${err.message}\nTry 'easy-diffusion --help'.`);
      return 2;
    }
    throw err;
  }
  switch (command.kind) {
    case "help":
      console.log(command.topic === "engine" ? ENGINE_HELP : command.topic === "worker" ? WORKER_HELP : HELP);
      return 0;
    case "version":
      console.log(`easy-diffusion ${VERSION}`);
      return 0;
    case "engine-build": {
      const { runEngineBuild } = await import("../engine/build-cli");
      return runEngineBuild(command, readEnv());
    }
    case "engine-import": {
      const { runEngineImport } = await import("../engine/import-cli");
      return runEngineImport(command, readEnv());
    }
    case "worker-rpc": {
      const { runWorkerRpc } = await import("./cli/worker-rpc");
      return runWorkerRpc(command, readEnv());
    }
    case "run":
      return runApp(command);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    console.error(`easy-diffusion: ${(err as Error).message ?? err}`);
    process.exit(1);
  },
);
