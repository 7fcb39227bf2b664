/**
 * RPC workers as an app service: the store (data dir, owner-only), the coordinator and its relays
 * (started once the server listens, stopped on shutdown), /api/rpc. The engine reaches the
 * coordinator only through the EngineExtension launcher/wiring.ts hands it.
 */
import type { ServiceFactory } from "../core/services";
import type { EngineManager } from "../engine/manager";
import { RpcCoordinator } from "./coordinator";
import { rpcRoutes } from "./routes";
import { RpcWorkerStore } from "./store";

export function rpcService(o: { engine: (ctx: Parameters<ServiceFactory>[0]) => EngineManager; ready: (c: RpcCoordinator) => void }): ServiceFactory {
  return (ctx) => {
    const engine = o.engine(ctx);
    const preferred = () => engine.installed()[0];
    const coordinator = new RpcCoordinator({ store: new RpcWorkerStore(ctx.paths.rpcWorkers), engineVersion: () => preferred()?.rpc, bus: ctx.bus });
    o.ready(coordinator);
    return {
      name: "rpc",
      routes: { "/rpc": rpcRoutes(coordinator, preferred) },
      start: () => void coordinator.start().catch((err) => ctx.log.warn(`RPC workers: ${(err as Error).message}`)),
      stop: () => coordinator.stop(),
    };
  };
}
