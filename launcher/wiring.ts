/**
 * Which services the real app runs, in start order. Tests compose their own
 * list; this is the one the executable uses.
 */
import { importBuild } from "../engine/install/import";
import { createBuildProvider } from "../engine/install/provider";
import { engineParts } from "../engine/service";
import { queueService } from "../queue/service";
import type { ServiceFactory } from "./services";
import { windowService } from "./window/service";

export function appServices(): ServiceFactory[] {
  const engine = engineParts({
    provider: (ctx) => createBuildProvider({ config: ctx.config, paths: ctx.paths, bus: ctx.bus, log: ctx.log }),
    importer: (ctx) => (path) => importBuild(path, ctx.paths),
  });
  // The queue stops before the engine (services stop in reverse order).
  return [engine.service, queueService({ engine: engine.engine }), windowService];
}
