/**
 * Every route the real app wires (launcher/wiring.ts appServices(), plus the
 * core routes), listed without starting anything: each service factory is
 * built on a throwaway context (nothing is started, nothing downloaded) and
 * the Hono app is assembled as startApp does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigStore } from "../../core/config/store";
import { readEnv } from "../../core/env";
import { EventBus } from "../../core/events/bus";
import { silentLogger } from "../../core/log";
import { resolvePaths } from "../../core/paths";
import { createApp } from "../../launcher/server/app";
import type { AppContext } from "../../core/server/context";
import type { Service } from "../../core/services";
import { appServices } from "../../launcher/wiring";

/**
 * The real app's services (appServices({server: true})), each built on one
 * throwaway context: nothing started, nothing downloaded. `fn` reads them;
 * they are stopped and the data folder removed afterwards.
 */
export async function withWiredServices<T>(fn: (ctx: AppContext, services: Service[]) => T | Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "ed-wired-"));
  const paths = resolvePaths({ ...readEnv({}), edHome: undefined }, { dataDir: dir });
  const ctx: AppContext = { paths, config: ConfigStore.load(paths.config), bus: new EventBus(), log: silentLogger };
  const services: Service[] = [];
  try {
    for (const factory of appServices({ server: true })) services.push(await factory(ctx));
    return await fn(ctx, services);
  } finally {
    for (const s of services.reverse()) await Promise.resolve(s.stop?.()).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `get /api/tasks/{id}`-style keys of every API route the app serves (not the UI pages or login). */
export async function wiredRoutes(): Promise<string[]> {
  return withWiredServices((ctx, services) => {
    const app = createApp(ctx, { api: Object.assign({}, ...services.map((s) => s.routes ?? {})), root: Object.assign({}, ...services.map((s) => s.rootRoutes ?? {})) });
    const keys = new Set<string>();
    for (const r of app.routes) {
      if (r.method === "ALL" || r.path.includes("*") || !/^\/(api|sdapi|v1|internal)\//.test(r.path)) continue;
      if (r.path.startsWith("/api/docs/")) continue; // the viewer's own assets
      keys.add(`${r.method.toLowerCase()} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}")}`);
    }
    return [...keys].sort();
  });
}
