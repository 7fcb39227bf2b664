/**
 * The engine's side of ggml RPC, as the stand-in sd-server plays it (upstream 97d2990
 * src/core/ggml_extend_backend.cpp add_rpc_devices; ggml-org/ggml 8e800ce src/ggml-rpc/ggml-rpc.cpp):
 * - a build without SD_RPC: "RPC backend not found, cannot add RPC servers" and no RPC devices;
 * - with it: "Adding RPC server: <endpoint>" per server, HELLO (another major or a newer minor:
 *   "RPC server version mismatch: x.y.z" and no devices from it), DEVICE_COUNT, devices named RPC0, RPC1, …
 *   numbered across servers in order;
 * - a server that closes or answers wrongly: GGML_ABORT("Remote RPC server crashed or returned malformed
 *   response") — the process aborts (RPC_STATUS_ASSERT). The line number printed is guessed.
 * The compute of a step on an RPC device is played as one GET_DEVICE_MEMORY round trip.
 */
import { connect, type Socket } from "node:net";
import { askRpcServer, deviceMemoryRequest } from "../../rpc/ggml-rpc-wire";

type Log = (level: "INFO" | "ERROR" | "WARN", where: string, msg: string) => void;

export interface RpcDevices {
  names: string[];
  /** One step's work on this RPC device (aborts the process if its server is gone). */
  compute(name: string): Promise<void>;
}

function abort(err: (s: string) => void): never {
  err("ggml/src/ggml-rpc/ggml-rpc.cpp:597: Remote RPC server crashed or returned malformed response\n");
  process.kill(process.pid, "SIGABRT");
  throw new Error("aborted");
}

async function open(endpoint: string): Promise<Socket | null> {
  const i = endpoint.lastIndexOf(":");
  const sock = connect({ host: endpoint.slice(0, i), port: Number(endpoint.slice(i + 1)) });
  return new Promise((resolve) => {
    sock.once("connect", () => resolve(sock));
    sock.once("error", () => resolve(null));
  });
}

/** One request/response on an open socket: the 8-byte size and the payload, or null if the server is gone. */
function roundTrip(sock: Socket, req: Uint8Array, size: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const done = (v: Buffer | null) => {
      sock.off("data", onData);
      sock.off("close", onGone);
      resolve(v);
    };
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 8 + size) done(Number(buf.readBigUInt64LE(0)) === size ? buf.subarray(8, 8 + size) : null);
    };
    const onGone = () => done(null);
    if (sock.destroyed) return resolve(null);
    sock.on("data", onData);
    sock.once("close", onGone);
    sock.write(req);
  });
}

export async function addRpcServers(spec: string | undefined, rpcBuild: boolean, log: Log, err: (s: string) => void): Promise<RpcDevices> {
  const devices: { name: string; sock: Socket; index: number }[] = [];
  const none: RpcDevices = { names: [], compute: async () => {} };
  if (!spec?.trim()) return none;
  if (!rpcBuild) {
    log("ERROR", "ggml_extend_backend.cpp:284", "RPC backend not found, cannot add RPC servers");
    return none;
  }
  for (const endpoint of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    log("INFO", "ggml_extend_backend.cpp:294", `Adding RPC server: ${endpoint}`);
    const sock = await open(endpoint);
    if (!sock) {
      err(`Failed to connect to ${endpoint}\n`);
      continue;
    }
    sock.on("error", () => {});
    const info = await askRpcServer(sock, 10_000).catch(() => null);
    if (!info) abort(err);
    if (info.version.major !== 5 || info.version.minor > 0) {
      err(`RPC server version mismatch: ${info.version.major}.${info.version.minor}.${info.version.patch}\n`);
      err(`Failed to connect to ${endpoint}\n`);
      sock.destroy();
      continue;
    }
    info.devices.forEach((_, index) => devices.push({ name: `RPC${devices.length}`, sock, index }));
  }
  return {
    names: devices.map((d) => d.name),
    compute: async (name) => {
      const d = devices.find((x) => x.name.toLowerCase() === name.toLowerCase());
      if (d && !(await roundTrip(d.sock, deviceMemoryRequest(d.index), 16))) abort(err);
    },
  };
}
