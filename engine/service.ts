/**
 * The engine as an app service: one EngineManager per app context (shared
 * with the queue through `engine(ctx)`), its routes at /api/engine, the
 * first-run install started once the server listens (and, where it finds no
 * usable engine and the plan chose building, the automatic source build),
 * the engine stopped on shutdown. With two or more GPUs (engine.devices) the
 * manager is the first engine of a pool (pool/pool.ts): one engine per GPU,
 * and one over all of them for model sets too big for one.
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
import type { BuildProvider, InstalledBuild } from "./types";
import type { Gpu } from "./detect/hardware";
import type { EngineExtension } from "./extension";
import { EnginePool } from "./pool/pool";
import { isGpu, withMemory } from "./pool/plan";

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
  /** The GPUs detection finds (their memory decides split mode); default: engine/detect. */
  gpus?: () => Promise<Gpu[]>;
  /** Arguments, exit explanations and devices from higher floors (RPC workers). */
  extension?: (ctx: AppContext) => EngineExtension;
}

export interface EngineParts {
  service: ServiceFactory;
  /** The first engine: the one the models' warm start and the Engine tab's single-engine buttons use. */
  engine: (ctx: AppContext) => EngineManager;
  /** Every engine of this computer (one per GPU). */
  pool: (ctx: AppContext) => EnginePool;
}

export function engineParts(options: EngineServiceOptions): EngineParts {
  const pools = new WeakMap<AppContext, { pool: EnginePool; devices: EngineDevices }>();
  const partsOf = (ctx: AppContext) => {
    let parts = pools.get(ctx);
    if (!parts) {
      const provider = options.provider(ctx);
      const gpus = options.gpus ?? (async () => (await import("./detect/detect")).detectHardware().then((h) => h.gpus));
      let found: Promise<Gpu[]> | undefined;
      let first = true;
      const ext = options.extension?.(ctx);
      const pool: EnginePool = new EnginePool({
        // The first engine is the app's (its bus events, import, build); the others speak only through the pool.
        make: (pin, logFile) => {
          const own = first ? { importer: options.importer?.(ctx), builder: options.builder?.(ctx), bus: ctx.bus } : {};
          first = false;
          // What the extension adds is part of the flags: a change (an RPC worker gone or added) restarts the engine on the next task.
          const flags = () => {
            const [build, base] = [made.installed()[0], { ...ctx.config.config.engine, ...pin() }];
            return ext ? { ...base, extra: ext.args(build), device: ext.device?.(base.device, build) ?? base.device } : base;
          };
          const supervisor = { logFile, explainExit: ext?.explainExit, ...options.supervisor };
          const made: EngineManager = new EngineManager({ provider, ...own, flags, supervisor });
          return made;
        },
        logFile: ctx.paths.engineLog,
        settings: () => ({ devices: ctx.config.config.engine.devices, device: ctx.config.config.engine.device }),
        devices: async () => {
          const listed = (await parts!.devices.report())?.devices ?? [];
          // Detection (nvidia-smi, …) only where memory can matter: two or more GPUs.
          if (listed.filter(isGpu).length < 2) return listed;
          return withMemory(listed, await (found ??= gpus().catch(() => [])));
        },
        bus: ctx.bus,
      });
      parts = { pool, devices: new EngineDevices(() => pool.primary.installed(), undefined, ext?.devices) };
      pools.set(ctx, parts);
    }
    return parts;
  };
  const engine = (ctx: AppContext) => partsOf(ctx).pool.primary;
  const service: ServiceFactory = (ctx): Service => {
    const { pool, devices } = partsOf(ctx);
    const manager = pool.primary;
    // After an install or a start the build may be another one: read its devices again (in the background), and
    // give each chosen GPU its engine.
    const offState = manager.on((e) => {
      if (e.type === "state" && (e.status.state === "installed" || e.status.state === "ready")) {
        if (e.status.state === "installed") devices.forget();
        void pool.sync();
      }
    });
    const offConfig = ctx.bus.on("config.changed", ({ keys }) => {
      if (keys.some((k) => k === "engine.devices" || k === "engine.device")) void pool.sync();
    });
    let installSoon: ReturnType<typeof setTimeout> | undefined;
    return {
      name: "engine",
      routes: { "/engine": engineRoutes(manager, { uploads: ctx.paths.downloads, devices, pool }) },
      start() {
        void pool.sync();
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
      stop: async () => {
        offState();
        offConfig();
        clearTimeout(installSoon);
        // A source build in progress dies with the app (its compilers too).
        if (options.builder) manager.builder().cancel();
        await Promise.all([pool.stop(), manager.stop()]);
      },
    };
  };
  return { service, engine, pool: (ctx) => partsOf(ctx).pool };
}
