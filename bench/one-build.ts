/**
 * The engine a benchmark's app runs: an EngineManager over one given build (the stand-in or a real
 * sd-server), with the app's engine settings and event bus, as the composition root makes it.
 */
import { EngineManager } from "../engine/manager";
import type { InstalledBuild } from "../engine/types";
import type { AppContext } from "../launcher/server/context";

export function oneBuildEngine(build: InstalledBuild, ctx: AppContext): EngineManager {
  return new EngineManager({ provider: { builds: async () => [build], markGood: () => {} }, flags: () => ctx.config.config.engine, bus: ctx.bus });
}
