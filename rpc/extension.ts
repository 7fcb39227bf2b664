/**
 * What the RPC workers add to the engine (engine/extension.ts), for the composition root and tests:
 * `--rpc-servers` for a build made with RPC, the explanation of an exit caused by a worker gone, the
 * RPC devices, and the device to start on. The coordinator loads lazily (service.ts): until it has,
 * no worker is stored and the extension adds nothing.
 */
import type { EngineExtension } from "../engine/extension";
import type { RpcCoordinator } from "./coordinator";

/** The chosen device, unless it is an RPC device beyond the `count` the next start has: then "" (automatic placement). */
export function rpcStartDevice(chosen: string, count: number): string {
  const rpc = /^RPC(\d+)$/.exec(chosen);
  return !rpc || Number(rpc[1]) < count ? chosen : "";
}

export function rpcEngineExtension(coordinator: () => RpcCoordinator | undefined): EngineExtension {
  return {
    args: (build) => coordinator()?.engineArgs(build) ?? [],
    explainExit: (argv) => coordinator()?.explainExit(argv),
    devices: async () => coordinator()?.devices() ?? [],
    device: (chosen, build) => rpcStartDevice(chosen, coordinator()?.deviceCount(build) ?? 0),
  };
}
