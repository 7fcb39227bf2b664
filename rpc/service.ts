/**
 * RPC workers as an app service: the store (data dir, owner-only), the coordinator and its relays
 * (stopped on shutdown), /api/rpc. The engine reaches the coordinator only through the
 * EngineExtension launcher/wiring.ts hands it. Most computers have no RPC worker: the coordinator's
 * modules (relays, the ggml RPC client, the routes' schemas) load at start only where workers.json
 * lists some, else on the first /api/rpc request (~0.5 MB resident saved, bench/startup.ts).
 */
import { existsSync } from "node:fs";
import { lazyRoutes, type RouteKey } from "../core/server/lazy-routes";
import type { ServiceFactory } from "../core/services";
import type { EngineManager } from "../engine/manager";
import type { RpcCoordinator } from "./coordinator";

/** routes.ts's routes, listed before it loads (tests/rpc/app.test.ts keeps this true). */
export const RPC_ROUTES: RouteKey[] = ["GET /workers", "POST /workers", "DELETE /workers/:address", "GET /devices"];

export function rpcService(o: { engine: (ctx: Parameters<ServiceFactory>[0]) => EngineManager; ready: (c: RpcCoordinator) => void }): ServiceFactory {
  return (ctx) => {
    const engine = o.engine(ctx);
    const preferred = () => engine.installed()[0];
    let coordinator: Promise<RpcCoordinator> | undefined;
    const load = () =>
      (coordinator ??= (async () => {
        const [{ RpcCoordinator }, { RpcWorkerStore }] = await Promise.all([import("./coordinator"), import("./store")]);
        const c = new RpcCoordinator({ store: new RpcWorkerStore(ctx.paths.rpcWorkers), engineVersion: () => preferred()?.rpc, bus: ctx.bus });
        o.ready(c);
        void c.start().catch((err) => ctx.log.warn(`RPC workers: ${(err as Error).message}`));
        return c;
      })());
    const routes = lazyRoutes("/api/rpc", RPC_ROUTES, async () => (await import("./routes")).rpcRoutes(await load(), preferred));
    return {
      name: "rpc",
      routes: { "/rpc": routes },
      start: () => {
        if (existsSync(ctx.paths.rpcWorkers)) void load();
      },
      stop: async () => {
        if (coordinator) (await coordinator).stop();
      },
    };
  };
}
