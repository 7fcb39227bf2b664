/**
 * Starts the app: data dir, config, log, lock, HTTP server, then services.
 * The server listens before the services load, so /api/health answers at
 * once; any other request that comes meanwhile waits until they are loaded.
 * Returns a handle whose stop() shuts everything down in order. `main.ts`
 * adds the window; tests call this directly.
 */
import { mkdirSync } from "node:fs";
import type { Server } from "bun";
import type { RunOptions } from "./cli/args";
import type { Config } from "../core/config/schema";
import { readConfigYaml } from "../core/config/read-yaml";
import type { Env } from "../core/env";
import { EventBus } from "../core/events/bus";
import { acquireLock, type LockInfo } from "./instance/lock";
import { Logger } from "../core/log";
import { resolvePaths, type Paths } from "../core/paths";
import type { AppOptions, createApp } from "./server/app";
import { earlyAnswer, peekPort } from "./server/early-answer";
import type { AppContext } from "../core/server/context";
import { listen } from "./server/listen";
import type { Service, ServiceFactory } from "../core/services";
import { VERSION } from "../core/version";
import { errorBody, NamedError } from "../core/server/errors";

export class AlreadyRunningError extends NamedError {
  override name = "AlreadyRunningError";
  override readonly code = "already_running";
  override readonly status = 409;
  constructor(readonly holder: LockInfo) {
    super(`Easy Diffusion is already running for this data folder (pid ${holder.pid}, ${holder.url})`);
  }
}

/** What a request that waited for the services gets when they failed to load. */
export class StartFailedError extends NamedError {
  override name = "StartFailedError";
  override readonly code = "start_failed";
  override readonly status = 503;
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
  /** The services, or how to load them (main.ts imports their modules only once the server listens). */
  services?: ServiceFactory[] | (() => Promise<ServiceFactory[]>);
  ui?: AppOptions["ui"];
  /** Logger override (tests). */
  log?: Logger;
  /** Called once this start holds the data folder's lock (not a second launch), before it listens. */
  onLocked?: (info: { config: Config }) => void;
  /**
   * Called as soon as the server listens, before the services load: main shows the window then, as the
   * page's requests wait for the services rather than fail.
   */
  onListening?: (info: { url: string; ctx: AppContext }) => void;
  /** config.yaml as plain YAML, when the caller has read it already (main, for the window): read once. */
  configYaml?: Promise<unknown>;
}

/** What the app answers while its services load: the cheap liveness and build facts (routes/health.ts). */
function answersEarly(req: Request): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const path = new URL(req.url).pathname;
  return path === "/api/health" || path === "/api/version";
}

export async function startApp(opts: StartOptions): Promise<RunningApp> {
  const paths = resolvePaths(opts.env, { dataDir: opts.run.dataDir, config: opts.run.config });
  mkdirSync(paths.data, { recursive: true });
  const lock = acquireLock(paths.lock, { pid: process.pid, url: "", mode: opts.run.server ? "server" : "gui", started: Date.now() });
  if (!lock.acquired) throw new AlreadyRunningError(lock.holder);

  const services: Service[] = [];
  let listening: ReturnType<typeof listen> | undefined;
  // Health first: the server listens before the config is read (only this computer's health and version
  // answer then: early-answer.ts), then until the services are loaded health and version answer from an app
  // without their routes; every other request waits for the whole app rather than meeting a 404.
  const earlyPort = opts.run.port ?? peekPort(await (opts.configYaml ?? readConfigYaml(paths.config)));
  let startup: ReturnType<typeof createApp> | undefined;
  const whole = Promise.withResolvers<ReturnType<typeof createApp>>();
  whole.promise.catch(() => {}); // a failed start rejects it; startApp's caller gets that error
  let app: ReturnType<typeof createApp> | undefined;
  const fetch = (req: Request, server: Server<undefined>): Response | Promise<Response> => {
    if (app) return app.fetch(req, server);
    if (startup && answersEarly(req)) return startup.fetch(req, server);
    const early = startup ? undefined : earlyAnswer(req, server.requestIP(req)?.address, listening?.port ?? earlyPort);
    if (early) return early;
    return whole.promise.then(
      (ready) => ready.fetch(req, server),
      () => {
        const err = new StartFailedError("the app failed to start");
        return Response.json(errorBody(err.code, err.message), { status: err.status });
      },
    );
  };
  const earlyHost = opts.run.host ?? "127.0.0.1";
  try {
    listening = listen(fetch, earlyHost, earlyPort);
    const listenedAt = Math.round(performance.now());
    // The rest of the start: config (zod), the Hono app, the stats sampler. Loading a module holds the event
    // loop, so one at a time with a turn between: a health probe waiting meanwhile is answered at once.
    const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
    await turn();
    const { ConfigStore, formatProblem } = await import("../core/config/store");
    await turn();
    const { createApp } = await import("./server/app");
    const { startStatsSampler } = await import("./system/stats");
    const config = ConfigStore.load(paths.config);
    const log = opts.log ?? new Logger({ file: paths.log, level: (opts.env.logLevel as never) ?? config.config.log.level, stderr: opts.run.server });
    for (const p of config.problems) log.warn(`config: ${formatProblem(p)}`);
    opts.onLocked?.({ config: config.config });
    const bus = new EventBus();
    const ctx: AppContext = { paths, config, bus, log, env: opts.env };
    startup = createApp(ctx, { startup: true });

    // --host wins; otherwise "allow other devices" means all interfaces. The config may want another
    // address or port than the early bind: listen again there.
    const wantedHost = () => opts.run.host ?? (config.config.server.allow_lan ? "0.0.0.0" : config.config.server.host);
    const port = opts.run.port ?? config.config.server.port;
    if (wantedHost() !== earlyHost || port !== earlyPort) {
      listening.server.stop(true);
      listening = undefined;
      listening = listen(fetch, wantedHost(), port);
    }
    const served = listening;
    const portOrigin = { wantedPort: port, portPinned: opts.run.port !== undefined };
    ctx.listening = { host: wantedHost(), port: served.port, pinned: opts.run.host !== undefined, ...portOrigin };
    lock.update({ url: served.url });
    opts.onListening?.({ url: served.url, ctx });
    // A turn of the event loop before each step: a service's modules load in one go, and requests (health) answer between.
    await turn();
    log.info(`listening on ${served.url} (${listenedAt} ms after exec); loading the services`);
    const factories = typeof opts.services === "function" ? await opts.services() : (opts.services ?? []);
    for (const factory of factories) {
      await turn();
      services.push(await factory(ctx));
    }
    const api = Object.assign({}, ...services.map((s) => s.routes ?? {}));
    const root = Object.assign({}, ...services.map((s) => s.rootRoutes ?? {}));
    app = createApp(ctx, { api, root, ui: opts.ui });
    whole.resolve(app);
    // Allowing other devices takes effect at once: the server listens again, on the same port.
    const offConfig = bus.on("config.changed", ({ keys }) => {
      if (opts.run.host !== undefined || !keys.includes("server.allow_lan") || wantedHost() === ctx.listening?.host) return;
      setTimeout(() => {
        const from = ctx.listening!.host;
        const to = wantedHost();
        listening!.server.stop(true);
        try {
          listening = listen(fetch, to, served.port, 1);
          ctx.listening = { host: to, port: served.port, pinned: false, ...portOrigin };
          bus.publish("server.listening", { host: to, port: served.port });
        } catch (err) {
          listening = listen(fetch, from, served.port, 1);
          log.error(`could not listen on ${to}:${served.port}`, { error: String(err) });
          bus.publish("server.listening", { host: from, port: served.port, error: (err as Error).message });
        }
      }, 50);
    });
    for (const s of services) await s.start?.({ url: served.url });
    const stats = startStatsSampler(bus);
    bus.publish("app.started", { url: served.url, version: VERSION });
    // What starting left behind (parsed modules' sources, the config's YAML tree, schema scratch) is garbage
    // now: one full collection once the first requests are answered gives its pages back.
    setTimeout(() => Bun.gc(true), 500).unref();

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
    return { url: served.url, port: served.port, moved: served.moved, paths, ctx, app: app!, stop };
  } catch (err) {
    // A service that fails to start must not leave the port bound or the lock held.
    whole.reject(err);
    // One turn first: requests that waited for the services get their 503 before the socket closes.
    if (listening) await new Promise((resolve) => setTimeout(resolve, 0));
    listening?.server.stop(true);
    for (const s of services.reverse()) await Promise.resolve(s.stop?.()).catch(() => {});
    lock.release();
    throw err;
  }
}
