/**
 * The engine as an app service: one EngineManager per app context (shared
 * with the queue through `engine(ctx)`), its routes at /api/engine, the
 * first-run install started once the server listens (and, where it finds no
 * usable engine and the plan chose building, the automatic source build),
 * the engine stopped on shutdown.
 *
 *   const engine = engineParts({ provider: (ctx) => createBuildProvider(ctx) });
 *   services: [engine.service, queueService({ engine: engine.engine })]
 */
import type { AppContext } from "../core/server/context";
import type { Service, ServiceFactory } from "../core/services";
import type { SourceBuilder } from "./build/builder";
import { EngineManager } from "./manager";
import type { SupervisorOptions } from "./process/supervisor";
import { engineRoutes } from "./routes";
import { EngineDevices } from "./devices";
import type { EngineExtension } from "./extension";
import type { BuildProvider, InstalledBuild } from "./types";

export interface EngineServiceOptions {
  provider: (ctx: AppContext) => BuildProvider;
  importer?: (ctx: AppContext) => (path: string) => Promise<InstalledBuild>;
  /** Builds the engine from source (`POST /api/engine/build`). */
  builder?: (ctx: AppContext) => SourceBuilder;
  supervisor?: SupervisorOptions;
  /** Install (download) the engine as soon as the app listens, so the first task does not wait. Default true. */
  installOnStart?: boolean;
  /** When that finds no usable engine and the plan chose building from source: build (or list the missing tools). Default true. */
  autoBuild?: boolean;
  /** Arguments, exit explanations and devices from higher floors (RPC workers). */
  extension?: (ctx: AppContext) => EngineExtension;
}

export function engineParts(options: EngineServiceOptions): { service: ServiceFactory; engine: (ctx: AppContext) => EngineManager } {
  const managers = new WeakMap<AppContext, EngineManager>();
  const engine = (ctx: AppContext) => {
    let manager = managers.get(ctx);
    const ext = options.extension?.(ctx);
    if (!manager) {
      manager = new EngineManager({
        provider: options.provider(ctx),
        importer: options.importer?.(ctx),
        builder: options.builder?.(ctx),
        // What the extension adds is part of the flags: a change (a worker gone or added) restarts the engine on the next task.
        flags: () => (ext ? { ...ctx.config.config.engine, extra: ext.args(manager?.installed()[0]) } : ctx.config.config.engine),
        bus: ctx.bus,
        supervisor: { logFile: ctx.paths.engineLog, explainExit: ext?.explainExit, ...options.supervisor },
      });
      managers.set(ctx, manager);
    }
    return manager;
  };
  const service: ServiceFactory = (ctx): Service => {
    const manager = engine(ctx);
    const devices = new EngineDevices(() => manager.installed(), undefined, options.extension?.(ctx).devices);
    // After an install or a start the build may be another one: read its devices again (in the background).
    const offState = manager.on((e) => {
      if (e.type === "state" && (e.status.state === "installed" || e.status.state === "ready")) {
        if (e.status.state === "installed") devices.forget();
        void devices.report();
      }
    });
    let installSoon: ReturnType<typeof setTimeout> | undefined;
    return {
      name: "engine",
      routes: { "/engine": engineRoutes(manager, { uploads: ctx.paths.downloads, devices }) },
      start() {
        if (options.installOnStart === false) return;
        // One turn of the event loop later: hardware detection and the release cache reads would hold up the first requests.
        installSoon = setTimeout(() => {
          manager.install().catch(async (err) => {
            const failed = `engine install failed: ${(err as Error).message}`;
            if (!options.builder || options.autoBuild === false) return ctx.log.warn(failed);
            // No usable engine: where the plan chose building from source, build it (or say what is missing).
            const auto = await manager.autoBuild().catch((e) => ctx.log.warn(`engine auto-build failed: ${(e as Error).message}`));
            // The release build's refusal (and its "import one" hint) is no longer the user's problem once a build takes over.
            if (auto && auto.action === "build")
              ctx.log.info(`engine: ${auto.started ? "building" : "waiting for build tools for"} the ${auto.backend} engine (${auto.reason})`);
            else ctx.log.warn(failed);
          });
        }, 0);
      },
      stop: () => {
        offState();
        clearTimeout(installSoon);
        // A source build in progress dies with the app (its compilers too).
        if (options.builder) manager.builder().cancel();
        return manager.stop();
      },
    };
  };
  return { service, engine };
}
