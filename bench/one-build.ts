/**
 * A benchmark's app: the queue over one given engine build (the stand-in or a real sd-server), with the
 * app's engine settings and event bus, as the composition root makes it.
 */
import { EngineManager } from "../engine/manager";
import type { InstalledBuild } from "../engine/types";
import { readEnv } from "../core/env";
import { silentLogger } from "../core/log";
import type { AppContext } from "../core/server/context";
import { startApp, type RunningApp } from "../launcher/start";
import { queueService } from "../queue/service";

export function oneBuildEngine(build: InstalledBuild, ctx: AppContext): EngineManager {
  return new EngineManager({ provider: { builds: async () => [build], markGood: () => {} }, flags: () => ctx.config.config.engine, bus: ctx.bus });
}

/** The app with only the queue, on a random loopback port, its data in `root`. */
export async function startOneBuildApp(root: string, build: InstalledBuild): Promise<{ app: RunningApp; manager: EngineManager }> {
  let manager!: EngineManager;
  const app = await startApp({
    run: { server: true, noOpen: true, dataDir: root, port: 20000 + Math.floor(Math.random() * 30000), host: "127.0.0.1" },
    env: { ...readEnv({}), edHome: undefined },
    services: [queueService({ engine: (ctx) => (manager = oneBuildEngine(build, ctx)) })],
    log: silentLogger,
  });
  return { app, manager };
}
