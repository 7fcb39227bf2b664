/**
 * Settings → Workers → RPC workers' calls: GET/POST/DELETE /api/rpc/workers (rpc/routes.ts), and the
 * engine build with RPC (POST /api/engine/build {rpc: true}) offered when the engine cannot use them.
 */
import type { WorkerStatus } from "../../../../rpc/coordinator";
import { api } from "../../api/http";

export type { WorkerStatus };

export interface RpcWorkersView {
  workers: WorkerStatus[];
  /** The engine build that would run, and its ggml RPC version (null: built without RPC). */
  engine: { build: string | null; rpc: string | null };
}

/** Pure: what the worker's QR code carries ("edrpc://host:port#token") → address and token, or null. */
export function parsePairing(text: string): { address: string; token: string } | null {
  const m = /^\s*edrpc:\/\/([^#\s]+)#([A-Za-z0-9_-]{43})\s*$/.exec(text);
  return m ? { address: m[1]!, token: m[2]! } : null;
}

export const rpcApi = {
  list: () => api<RpcWorkersView>("/api/rpc/workers"),
  add: (address: string, token: string) => api<WorkerStatus>("/api/rpc/workers", { method: "POST", json: { address, token } }),
  remove: (address: string) => api<{ removed: string }>(`/api/rpc/workers/${encodeURIComponent(address)}`, { method: "DELETE" }),
};
