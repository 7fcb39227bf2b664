/**
 * The worker's door: a TCP listener on the LAN in front of the RPC server,
 * which itself listens on loopback only. Each connection is challenged
 * (handshake.ts); one that does not answer with the pairing token is told
 * "NO …" and closed before the RPC server is even dialled, so not a byte of
 * it reaches ggml. An authenticated relay connection is then spliced to the
 * RPC server byte for byte; an info connection gets the worker's info.
 */
import type { Server, Socket } from "node:net";
import { connect } from "node:net";
import { acceptLine, challenge, checkAnswer, readLine } from "./handshake";
import { listen, splice, tcpServer } from "./net";
import type { WorkerInfo } from "./worker-info";

export type ListenerEvent =
  | { type: "refused"; from: string; reason: string }
  | { type: "relay-open"; from: string }
  | { type: "relay-closed"; from: string }
  | { type: "info"; from: string };

export interface WorkerListenerOptions {
  token: string;
  host: string;
  port: number;
  /** The RPC server's loopback port. */
  backendPort: number;
  /** The worker's info, given whether an engine is connected now. */
  info: (busy: boolean) => Promise<Omit<WorkerInfo, "busy">>;
  handshakeMs?: number;
  onEvent?: (e: ListenerEvent) => void;
}

export interface WorkerListener {
  port: number;
  /** Relay connections open now. */
  active(): number;
  stop(): Promise<void>;
}

export async function startWorkerListener(o: WorkerListenerOptions): Promise<WorkerListener> {
  const sockets = new Set<Socket>();
  let active = 0;
  const handshakeMs = o.handshakeMs ?? 10_000;
  const refuse = (sock: Socket, from: string, reason: string) => {
    o.onEvent?.({ type: "refused", from, reason });
    sock.end(`NO ${reason}\n`);
    setTimeout(() => sock.destroy(), 1_000).unref();
  };
  const onConnection = async (sock: Socket) => {
    const from = `${sock.remoteAddress}:${sock.remotePort}`;
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => {});
    const ch = challenge();
    sock.write(ch.line);
    let got: { line: string; rest: Buffer };
    try {
      got = await readLine(sock, handshakeMs);
    } catch (e) {
      return refuse(sock, from, (e as Error).message);
    }
    const ok = checkAnswer(got.line, o.token, ch.nonce);
    if (!ok) return refuse(sock, from, "wrong pairing token");
    const busy = active > 0;
    if (ok.mode === "info") {
      o.onEvent?.({ type: "info", from });
      const info = await o.info(busy).catch(() => undefined);
      if (!info) return refuse(sock, from, "the RPC server on this worker does not answer");
      sock.end(acceptLine(o.token, ch.nonce, ok.nonceC, { ...info, busy }));
      return;
    }
    const info = await o.info(true).catch(() => undefined);
    const backend = connect({ host: "127.0.0.1", port: o.backendPort });
    backend.setNoDelay(true);
    backend.once("error", () => refuse(sock, from, "the RPC server on this worker is not running"));
    backend.once("connect", () => {
      backend.removeAllListeners("error");
      backend.pause();
      active++;
      o.onEvent?.({ type: "relay-open", from });
      sock.write(acceptLine(o.token, ch.nonce, ok.nonceC, { ...info, busy }));
      splice(sock, backend, got.rest, Buffer.alloc(0), () => {
        active--;
        o.onEvent?.({ type: "relay-closed", from });
      });
    });
  };
  const server: Server = tcpServer((s) => void onConnection(s));
  const port = await listen(server, o.host, o.port, "RPC worker");
  return {
    port,
    active: () => active,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
