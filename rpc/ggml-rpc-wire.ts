/**
 * The few messages of ggml's RPC protocol the app speaks itself: HELLO (the
 * protocol version), DEVICE_COUNT and GET_DEVICE_MEMORY, so a worker's
 * version and devices can be asked without the engine. Everything else
 * passes through the relay as bytes. Facts from ggml at the commit
 * stable-diffusion.cpp 97d2990 pins (ggml-org/ggml 8e800ce):
 * - include/ggml-rpc.h: RPC_PROTO_MAJOR/MINOR/PATCH_VERSION 5.0.1; the patch
 *   version changes with GGML_OP_COUNT (the static_assert beside it).
 * - src/ggml-rpc/ggml-rpc.cpp: a request is | cmd (1 byte) | size (u64) | data |,
 *   a response | size (u64) | data |, little-endian host order; RPC_CMD_HELLO = 14
 *   ("must be always 14"), DEVICE_COUNT = 15, GET_DEVICE_MEMORY = 11; hello req =
 *   conn_caps[24] (transport.h RPC_CONN_CAPS_SIZE), rsp = major, minor, patch,
 *   padding, conn_caps[24]; the server closes a connection whose first command is
 *   not HELLO or whose HELLO size differs; device count rsp u32; memory req u32
 *   device, rsp u64 free, u64 total. The server serves one connection at a time.
 * Pure encoders/decoders plus one small client over a socket.
 */
import { connect, type Socket } from "node:net";
import { versionText, type RpcVersion } from "../engine/build/rpc-version";
export { parseVersion, versionText, type RpcVersion } from "../engine/build/rpc-version";

export const CMD_GET_DEVICE_MEMORY = 11;
export const CMD_HELLO = 14;
export const CMD_DEVICE_COUNT = 15;
export const CONN_CAPS_SIZE = 24;
export const HELLO_RSP_SIZE = 4 + CONN_CAPS_SIZE;

/**
 * Pure: why a worker's version cannot serve this engine, or null. Upstream's client refuses another
 * major or a newer minor (negotiate_hello); we also refuse another patch, because at this commit the
 * patch marks a change of GGML_OP_COUNT, and ops numbered differently would compute something else.
 */
export function versionMismatch(engine: RpcVersion, worker: RpcVersion, workerName: string): string | null {
  if (engine.major === worker.major && engine.minor === worker.minor && engine.patch === worker.patch) return null;
  return (
    `RPC protocol mismatch: the worker ${workerName} speaks ggml RPC ${versionText(worker)}, this computer's engine ${versionText(engine)}. ` +
    "Run the same Easy Diffusion version on both computers."
  );
}

/** | cmd | u64 size | data |. */
export function encodeRequest(cmd: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(9 + data.length);
  const view = new DataView(out.buffer);
  out[0] = cmd;
  view.setBigUint64(1, BigInt(data.length), true);
  out.set(data, 9);
  return out;
}

export const helloRequest = () => encodeRequest(CMD_HELLO, new Uint8Array(CONN_CAPS_SIZE));
export const deviceCountRequest = () => encodeRequest(CMD_DEVICE_COUNT);
export function deviceMemoryRequest(device: number): Uint8Array {
  const d = new Uint8Array(4);
  new DataView(d.buffer).setUint32(0, device, true);
  return encodeRequest(CMD_GET_DEVICE_MEMORY, d);
}

export interface DeviceMemory {
  free: number;
  total: number;
}

export interface RpcInfo {
  version: RpcVersion;
  devices: DeviceMemory[];
}

/** Reads exact byte counts from a socket, failing on close, error or timeout. */
class Reader {
  #buf = Buffer.alloc(0);
  #wake?: () => void;
  #ended?: Error;

  constructor(sock: Socket) {
    sock.on("data", (d: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, d]);
      this.#wake?.();
    });
    sock.on("close", () => this.#end(new Error("the RPC server closed the connection")));
    sock.on("error", (e) => this.#end(e));
  }

  #end(e: Error) {
    this.#ended ??= e;
    this.#wake?.();
  }

  async take(n: number): Promise<Buffer> {
    while (this.#buf.length < n) {
      if (this.#ended) throw this.#ended;
      await new Promise<void>((r) => (this.#wake = r));
    }
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }

  async response(size: number): Promise<Buffer> {
    const got = Number((await this.take(8)).readBigUInt64LE(0));
    if (got !== size) throw new Error(`the RPC server answered ${got} bytes where ${size} were expected`);
    return this.take(size);
  }
}

/** Asks an RPC server (upstream's, or the worker's behind our relay) its version and each device's memory. */
export async function askRpcServer(sock: Socket, timeoutMs = 10_000): Promise<RpcInfo> {
  const reader = new Reader(sock);
  const timer = setTimeout(() => sock.destroy(new Error(`the RPC server did not answer in ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    sock.write(helloRequest());
    const hello = await reader.response(HELLO_RSP_SIZE);
    const version = { major: hello[0]!, minor: hello[1]!, patch: hello[2]! };
    sock.write(deviceCountRequest());
    const count = Math.min((await reader.response(4)).readUInt32LE(0), 64);
    const devices: DeviceMemory[] = [];
    for (let i = 0; i < count; i++) {
      sock.write(deviceMemoryRequest(i));
      const m = await reader.response(16);
      devices.push({ free: Number(m.readBigUInt64LE(0)), total: Number(m.readBigUInt64LE(8)) });
    }
    return { version, devices };
  } finally {
    clearTimeout(timer);
  }
}

/** askRpcServer over a new connection to host:port, closed after. */
export async function probeRpcServer(host: string, port: number, timeoutMs = 10_000): Promise<RpcInfo> {
  const sock = connect({ host, port });
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once("connect", resolve);
      sock.once("error", reject);
    });
    return await askRpcServer(sock, timeoutMs);
  } finally {
    sock.destroy();
  }
}
