/**
 * A stand-in for ggml's RPC server (what ggml_backend_rpc_start_server runs; ggml-org/ggml 8e800ce
 * src/ggml-rpc/ggml-rpc.cpp): prints the same start banner, listens where it is told, serves one
 * connection at a time, and speaks HELLO, DEVICE_COUNT and GET_DEVICE_MEMORY. Like the real one it
 * closes a connection whose first command is not HELLO, whose HELLO size is not 24, or that sends
 * an unknown command. Every byte it receives is counted in the file STANDIN_RPC_BYTES names.
 *   bun tests/standin/rpc-server.ts <host:port> [--version 5.0.1] [--device NAME:DESC:FREE:TOTAL]…
 */
import { appendFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";

const args = process.argv.slice(2);
const endpoint = args[0] ?? "127.0.0.1:50052";
const opt = (flag: string) => args.flatMap((a, i) => (a === flag && args[i + 1] ? [args[i + 1]!] : []));
const [major, minor, patch] = (opt("--version")[0] ?? "5.0.1").split(".").map(Number) as [number, number, number];
const devices = (opt("--device").length ? opt("--device") : ["CPU:Stand-in CPU:3221225472:4294967296"]).map((d) => {
  const [name, description, free, total] = d.split(":");
  return { name: name!, description: description!, free: BigInt(free!), total: BigInt(total!) };
});
const bytesFile = process.env.STANDIN_RPC_BYTES;

console.log(`Starting RPC server v${major}.${minor}.${patch}`);
console.log(`  endpoint       : ${endpoint}`);
console.log("  local cache    : n/a");
console.log("Devices:");
for (const d of devices) console.log(`  ${d.name}: ${d.description} (${d.total / 1048576n} MiB, ${d.free / 1048576n} MiB free)`);
console.log("  transport      : TCP");

function reply(sock: Socket, data: Buffer) {
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(data.length));
  sock.write(Buffer.concat([size, data]));
}

/** One client: parse | cmd | u64 size | data | messages from the stream. */
function serve(sock: Socket, done: () => void) {
  let buf = Buffer.alloc(0);
  let hello = false;
  const close = () => sock.destroy();
  sock.on("close", done);
  sock.on("error", () => {});
  sock.on("data", (d: Buffer) => {
    if (bytesFile) appendFileSync(bytesFile, `${d.length}\n`);
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 9) {
      const cmd = buf[0]!;
      const size = Number(buf.readBigUInt64LE(1));
      if (buf.length < 9 + size) return;
      const data = buf.subarray(9, 9 + size);
      buf = buf.subarray(9 + size);
      if (!hello) {
        if (cmd !== 14 || size !== 24) return close();
        hello = true;
        reply(sock, Buffer.concat([Buffer.from([major, minor, patch, 0]), Buffer.alloc(24)]));
      } else if (cmd === 15 && size === 0) {
        const r = Buffer.alloc(4);
        r.writeUInt32LE(devices.length);
        reply(sock, r);
      } else if (cmd === 11 && size === 4) {
        const d = devices[data.readUInt32LE(0)];
        if (!d) return close();
        const r = Buffer.alloc(16);
        r.writeBigUInt64LE(d.free, 0);
        r.writeBigUInt64LE(d.total, 8);
        reply(sock, r);
      } else return close();
    }
  });
}

const queue: Socket[] = [];
let serving = false;
const next = () => {
  const sock = queue.shift();
  serving = !!sock;
  if (sock) {
    console.log("Accepted client connection");
    serve(sock, () => {
      console.log("Client connection closed");
      next();
    });
    sock.resume();
  }
};
const [host, port] = [endpoint.slice(0, endpoint.lastIndexOf(":")), Number(endpoint.slice(endpoint.lastIndexOf(":") + 1))];
const server = createServer({ pauseOnConnect: true }, (sock) => {
  queue.push(sock);
  if (!serving) next();
});
server.on("error", (e) => {
  console.error(`Failed to create server socket (${e.message})`);
  process.exit(1);
});
server.listen({ host, port });
