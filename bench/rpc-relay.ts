/**
 * `bun run bench:rpc`: what our authenticated path in front of a ggml RPC server costs, on this
 * machine's loopback: the handshake (connect, challenge–response both ways, the worker's info) and the
 * throughput of N MiB sent through the coordinator's relay and the worker's listener to a sink,
 * against the same bytes sent to the sink directly. The network between two computers is slower than
 * either on a LAN (1 Gbit/s ≈ 119 MiB/s), so the relay should never be what limits a worker.
 *   bun bench/rpc-relay.ts [MiB, default 512]
 */
import { connect, createServer, type Socket } from "node:net";
import { askWorker } from "../rpc/client";
import { newPairingToken } from "../rpc/handshake";
import { startRelay } from "../rpc/relay";
import { startWorkerListener } from "../rpc/worker-listener";

const mib = Number(process.argv[2] ?? 512);
const total = mib * 2 ** 20;
const chunk = Buffer.alloc(4 * 2 ** 20, 7);

/** A sink that answers one byte when it has read `total` bytes. */
function sink(): Promise<{ port: number; close(): void }> {
  const server = createServer((s) => {
    let got = 0;
    s.on("data", (d) => {
      got += d.length;
      if (got >= total) s.end(Buffer.from([1]));
    });
  });
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r({ port: (server.address() as { port: number }).port, close: () => server.close() })));
}

async function send(port: number): Promise<number> {
  const sock: Socket = connect({ host: "127.0.0.1", port });
  await new Promise((r) => sock.once("connect", r));
  const t0 = performance.now();
  const done = new Promise<void>((r) => sock.once("data", () => r()));
  for (let sent = 0; sent < total; sent += chunk.length) if (!sock.write(chunk)) await new Promise((r) => sock.once("drain", r));
  await done;
  sock.destroy();
  return (performance.now() - t0) / 1000;
}

const target = await sink();
const token = newPairingToken();
const door = await startWorkerListener({ token, host: "127.0.0.1", port: 0, backendPort: target.port, info: async () => ({ rpc: "5.0.1", devices: [] }) });
const relay = await startRelay({ worker: { host: "127.0.0.1", port: door.port }, token });
const direct = await send(target.port);
const relayed = await send(relay.port);
const rounds = 20;
const h0 = performance.now();
for (let i = 0; i < rounds; i++) await askWorker({ host: "127.0.0.1", port: door.port }, token);
const handshakeMs = (performance.now() - h0) / rounds;
const rate = (s: number) => `${(mib / s).toFixed(0)} MiB/s`;
console.log(`rpc relay, ${mib} MiB on loopback: direct ${direct.toFixed(2)} s (${rate(direct)}),`);
console.log(`  through relay + listener ${relayed.toFixed(2)} s (${rate(relayed)})`);
console.log(`handshake (connect, challenge–response both ways, the worker's info), mean of ${rounds}: ${handshakeMs.toFixed(1)} ms`);
await relay.stop();
await door.stop();
target.close();
