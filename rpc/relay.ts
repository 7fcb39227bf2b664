/**
 * The coordinator's local relay for one worker: listens on 127.0.0.1 (the
 * engine gets `--rpc-servers 127.0.0.1:<port>`), and for each connection the
 * engine opens, dials the worker, runs the handshake with the pairing token,
 * checks the worker's ggml RPC version against the engine's, and only then
 * splices the two byte for byte. A worker that closes while the engine is
 * still connected is reported as gone (the engine's RPC client aborts then:
 * RPC_STATUS_ASSERT in ggml-rpc.cpp), naming the worker.
 */
import type { Socket } from "node:net";
import { addressText, clientHandshake, dial, type WorkerAddress } from "./client";
import { parseVersion, versionMismatch, type RpcVersion } from "./ggml-rpc-wire";
import { listen, splice, tcpServer } from "./net";

export type RelayEvent =
  | { type: "connected"; worker: string }
  | { type: "refused"; worker: string; reason: string; mismatch?: boolean }
  | { type: "gone"; worker: string; reason: string }
  | { type: "closed"; worker: string };

export interface RelayOptions {
  worker: WorkerAddress;
  token: string;
  /** The engine's ggml RPC version (recorded at its build), asked per connection; without one no version is checked. */
  engineVersion?: () => RpcVersion | undefined;
  handshakeMs?: number;
  onEvent?: (e: RelayEvent) => void;
  /** The local port (0: any free one). */
  port?: number;
}

export interface Relay {
  port: number;
  worker: string;
  stop(): Promise<void>;
}

export async function startRelay(o: RelayOptions): Promise<Relay> {
  const name = addressText(o.worker);
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  };
  const onConnection = async (local: Socket) => {
    track(local);
    local.on("error", () => {});
    let remote: Socket | undefined;
    try {
      remote = await dial(o.worker, o.handshakeMs ?? 10_000);
      track(remote);
      const { info, rest } = await clientHandshake(remote, o.worker, o.token, "relay", o.handshakeMs ?? 10_000);
      const theirs = parseVersion(String(info?.rpc ?? ""));
      const engine = o.engineVersion?.();
      const why = !theirs ? `the worker ${name} did not say its ggml RPC version` : engine ? versionMismatch(engine, theirs, name) : null;
      if (why) {
        o.onEvent?.({ type: "refused", worker: name, reason: why, mismatch: !!theirs });
        remote.destroy();
        local.destroy();
        return;
      }
      o.onEvent?.({ type: "connected", worker: name });
      splice(local, remote, Buffer.alloc(0), rest, (first) => {
        if (first === "b") o.onEvent?.({ type: "gone", worker: name, reason: `The RPC worker ${name} went away (its connection closed during the task).` });
        else o.onEvent?.({ type: "closed", worker: name });
      });
    } catch (e) {
      o.onEvent?.({ type: "refused", worker: name, reason: (e as Error).message });
      remote?.destroy();
      local.destroy();
    }
  };
  const server = tcpServer((s) => void onConnection(s));
  const port = await listen(server, "127.0.0.1", o.port ?? 0, `relay to the RPC worker ${name}`);
  return {
    port,
    worker: name,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
