/**
 * Starts the app: data dir, config, log, lock, services, HTTP server. Returns
 * a handle whose stop() shuts everything down in order. `main.ts` adds the
 * window; tests call this directly.
 */
import { mkdirSync } from "node:fs";
import type { RunOptions } from "./cli/args";
import { ConfigStore, formatProblem } from "../core/config/store";
import type { Env } from "../core/env";
import { EventBus } from "../core/events/bus";
import { acquireLock, type LockInfo } from "./instance/lock";
import { Logger } from "../core/log";
import { resolvePaths, type Paths } from "../core/paths";
import { createApp, type AppOptions } from "./server/app";
import type { AppContext } from "../core/server/context";
import { listen } from "./server/listen";
import type { Service, ServiceFactory } from "../core/services";
import { startStatsSampler } from "./system/stats";
import { VERSION } from "../core/version";
import { NamedError } from "../core/server/errors";

export class AlreadyRunningError extends NamedError {
  override name = "AlreadyRunningError";
  override readonly code = "already_running";
  override readonly status = 409;
  constructor(readonly holder: LockInfo) {
    super(`Easy Diffusion is already running for this data folder (pid ${holder.pid}, ${holder.url})`);
  }
}

export interface RunningApp {
  url: string;
  port: number;
  moved: boolean;
  paths: Paths;
  ctx: AppContext;
  /** The Hono app being served (its `routes` list every route, for tests that must cover them all). */
  app: ReturnType<typeof createApp>;
  stop(reason?: string): Promise<void>;
}

export interface StartOptions {
  run: RunOptions;
  env: Env;
  services?: ServiceFactory[];
  ui?: AppOptions["ui"];
  /** Logger override (tests). */
  log?: Logger;
}

export async function startApp(opts: StartOptions): Promise<RunningApp> {
  const paths = resolvePaths(opts.env, { dataDir: opts.run.dataDir, config: opts.run.config });
  mkdirSync(paths.data, { recursive: true });
  const config = ConfigStore.load(paths.config);
  const log =
    opts.log ??
    new Logger({ file: paths.log, level: (opts.env.logLevel as never) ?? config.config.log.level, stderr: opts.run.server });
  for (const p of config.problems) log.warn(`config: ${formatProblem(p)}`);

  const lock = acquireLock(paths.lock, { pid: process.pid, url: "", mode: opts.run.server ? "server" : "gui", started: Date.now() });
  if (!lock.acquired) throw new AlreadyRunningError(lock.holder);

  const bus = new EventBus();
  const ctx: AppContext = { paths, config, bus, log, env: opts.env };
  const services: Service[] = [];
  let listening: ReturnType<typeof listen> | undefined;
  try {
    for (const factory of opts.services ?? []) services.push(await factory(ctx));
    const api = Object.assign({}, ...services.map((s) => s.routes ?? {}));
    const root = Object.assign({}, ...services.map((s) => s.rootRoutes ?? {}));
    const app = createApp(ctx, { api, root, ui: opts.ui });
    // --host wins; otherwise "allow other devices" means all interfaces.
    const wantedHost = () => opts.run.host ?? (config.config.server.allow_lan ? "0.0.0.0" : config.config.server.host);
    const port = opts.run.port ?? config.config.server.port;
    const served = (listening = listen(app.fetch, wantedHost(), port));
    const portOrigin = { wantedPort: port, portPinned: opts.run.port !== undefined };
    ctx.listening = { host: wantedHost(), port: served.port, pinned: opts.run.host !== undefined, ...portOrigin };
    lock.update({ url: served.url });
    // Allowing other devices takes effect at once: the server listens again, on the same port.
    const offConfig = bus.on("config.changed", ({ keys }) => {
      if (opts.run.host !== undefined || !keys.includes("server.allow_lan") || wantedHost() === ctx.listening?.host) return;
      setTimeout(() => {
        const from = ctx.listening!.host;
        const to = wantedHost();
        listening!.server.stop(true);
        try {
          listening = listen(app.fetch, to, served.port, 1);
          ctx.listening = { host: to, port: served.port, pinned: false, ...portOrigin };
          bus.publish("server.listening", { host: to, port: served.port });
        } catch (err) {
          listening = listen(app.fetch, from, served.port, 1);
          log.error(`could not listen on ${to}:${served.port}`, { error: String(err) });
          bus.publish("server.listening", { host: from, port: served.port, error: (err as Error).message });
        }
      }, 50);
    });
    for (const s of services) await s.start?.({ url: served.url });
    const stats = startStatsSampler(bus);
    bus.publish("app.started", { url: served.url, version: VERSION });
    log.info(`listening on ${served.url}`);

    let stopping: Promise<void> | undefined;
    const stop = (reason = "stop") =>
      (stopping ??= (async () => {
        bus.publish("app.stopping", { reason });
        offConfig();
        stats.stop();
        for (const s of [...services].reverse()) {
          try {
            await s.stop?.();
          } catch (err) {
            log.error(`stopping ${s.name} failed`, { error: String(err) });
          }
        }
        listening!.server.stop(true);
        lock.release();
        log.info(`stopped (${reason})`);
      })());
    return { url: served.url, port: served.port, moved: served.moved, paths, ctx, app, stop };
  } catch (err) {
    // A service that fails to start must not leave the port bound or the lock held.
    listening?.server.stop(true);
    for (const s of services.reverse()) await Promise.resolve(s.stop?.()).catch(() => {});
    lock.release();
    throw err;
  }
}
