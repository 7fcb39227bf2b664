/**
 * The coordinator's side of the handshake (handshake.ts): dial a worker, prove the pairing token, check
 * the worker's proof and read its info. Used by the relay (mode relay) and to ask a worker its devices
 * and their memory (mode info, askWorker).
 */
import { connect, type Socket } from "node:net";
import { answer, checkAccept, readLine, type HandshakeMode } from "./handshake";
import { RpcWorkerRefused, RpcWorkerUnreachable } from "./errors";
import type { WorkerInfo } from "./worker-info";

export interface WorkerAddress {
  host: string;
  port: number;
}

/** Pure: "host:port" (IPv6 in brackets) → the address, or null. */
export function parseAddress(text: string): WorkerAddress | null {
  const m = /^\s*(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})\s*$/.exec(text);
  const port = m ? Number(m[3]) : 0;
  return m && port >= 1 && port <= 65535 ? { host: (m[1] ?? m[2])!, port } : null;
}

export const addressText = (a: WorkerAddress) => (a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`);

export function dial(a: WorkerAddress, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: a.host, port: a.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new RpcWorkerUnreachable(`The RPC worker ${addressText(a)} did not answer in ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    sock.once("connect", () => {
      clearTimeout(timer);
      sock.setNoDelay(true);
      resolve(sock);
    });
    sock.once("error", (e) => {
      clearTimeout(timer);
      reject(new RpcWorkerUnreachable(`The RPC worker ${addressText(a)} cannot be reached: ${e.message}.`));
    });
  });
}

/** Runs the client handshake on a connected socket → the worker's info and the bytes that followed its reply. */
export async function clientHandshake(sock: Socket, a: WorkerAddress, token: string, mode: HandshakeMode, timeoutMs: number) {
  const name = addressText(a);
  const fail = (why: string) => new RpcWorkerRefused(`The RPC worker ${name} refused the connection: ${why}.`);
  let greeting: string;
  try {
    greeting = (await readLine(sock, timeoutMs)).line;
  } catch (e) {
    throw fail((e as Error).message);
  }
  const ans = answer(greeting, token, mode);
  if (!ans) throw fail("it is not an Easy Diffusion RPC worker");
  sock.write(ans.line);
  let reply: { line: string; rest: Buffer };
  try {
    reply = await readLine(sock, timeoutMs);
  } catch (e) {
    throw fail((e as Error).message);
  }
  const checked = checkAccept(reply.line, token, ans.nonceW, ans.nonceC);
  if ("refused" in checked) throw fail(checked.refused);
  return { info: checked.info as WorkerInfo, rest: reply.rest };
}

/** Asks a worker its RPC version and devices (memory as the worker measures it now). */
export async function askWorker(a: WorkerAddress, token: string, timeoutMs = 10_000): Promise<WorkerInfo> {
  const sock = await dial(a, timeoutMs);
  try {
    return (await clientHandshake(sock, a, token, "info", timeoutMs)).info;
  } finally {
    sock.destroy();
  }
}
