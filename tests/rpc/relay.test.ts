/**
 * The worker's authenticated listener and the coordinator's relay through real sockets, in front of
 * the stand-in ggml RPC server (a real child process): the right token relays RPC bytes both ways; a
 * wrong token is closed before a byte reaches the RPC server; a taken port is a clear error; a worker
 * of another ggml RPC version is refused with a sentence; a worker gone mid-connection is named.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { createServer, connect, type Socket } from "node:net";
import { freePort } from "../../engine/process/port";
import { askWorker } from "../../rpc/client";
import { helloRequest, probeRpcServer } from "../../rpc/ggml-rpc-wire";
import { newPairingToken } from "../../rpc/handshake";
import { startRelay, type RelayEvent } from "../../rpc/relay";
import { startWorkerBackend, type WorkerBackend } from "../../rpc/worker-backend";
import { startWorkerListener, type ListenerEvent } from "../../rpc/worker-listener";
import { RpcPortTaken, RpcWorkerRefused } from "../../rpc/errors";

const STANDIN = `${import.meta.dir}/../standin/rpc-server.ts`;
const stops: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const s of stops.reverse()) await s();
});

async function standin(version = "5.0.1"): Promise<WorkerBackend> {
  const port = await freePort();
  const dev = ["--device", "CPU:Stand-in CPU:3221225472:4294967296", "--device", "GPU0:Stand-in GPU:1073741824:2147483648"];
  const b = await startWorkerBackend(["bun", STANDIN, `127.0.0.1:${port}`, "--version", version, ...dev], port);
  stops.push(() => b.stop());
  return b;
}

async function worker(backendPort: number, info: WorkerBackend["info"], token: string, events: ListenerEvent[] = []) {
  const l = await startWorkerListener({ token, host: "127.0.0.1", port: 0, backendPort, info, onEvent: (e) => events.push(e), handshakeMs: 3_000 });
  stops.push(() => l.stop());
  return l;
}

function waitFor<T>(list: T[], pred: (e: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const tick = () => {
      const hit = list.find(pred);
      if (hit) resolve(hit);
      else setTimeout(tick, 10);
    };
    tick();
  });
}

const closed = (s: Socket) => new Promise<void>((r) => (s.destroyed ? r() : s.once("close", () => r())));

describe("RPC relay", () => {
  test("the right token relays ggml RPC both ways: version and device memory through the relay", async () => {
    const token = newPairingToken();
    const backend = await standin();
    const door = await worker(backend.port, backend.info, token);
    const events: RelayEvent[] = [];
    const relay = await startRelay({ worker: { host: "127.0.0.1", port: door.port }, token, engineVersion: () => ({ major: 5, minor: 0, patch: 1 }), onEvent: (e) => events.push(e) });
    stops.push(() => relay.stop());
    const info = await probeRpcServer("127.0.0.1", relay.port);
    expect(info.version).toEqual({ major: 5, minor: 0, patch: 1 });
    expect(info.devices).toEqual([
      { free: 3221225472, total: 4294967296 },
      { free: 1073741824, total: 2147483648 },
    ]);
    expect(events[0]).toEqual({ type: "connected", worker: `127.0.0.1:${door.port}` });
    // Asked over the info handshake: names from the RPC server's banner, memory from GET_DEVICE_MEMORY.
    const asked = await askWorker({ host: "127.0.0.1", port: door.port }, token);
    expect(asked).toEqual({
      rpc: "5.0.1",
      busy: false,
      devices: [
        { name: "CPU", description: "Stand-in CPU", free: 3221225472, total: 4294967296 },
        { name: "GPU0", description: "Stand-in GPU", free: 1073741824, total: 2147483648 },
      ],
    });
  });

  test("a wrong token is closed before a byte reaches the RPC server", async () => {
    let backendConnections = 0;
    let backendBytes = 0;
    const fake = createServer((s) => {
      backendConnections++;
      s.on("data", (d) => (backendBytes += d.length));
    });
    const fakePort = await new Promise<number>((r) => fake.listen(0, "127.0.0.1", () => r((fake.address() as { port: number }).port)));
    stops.push(() => fake.close());
    const events: ListenerEvent[] = [];
    const info = async () => ({ rpc: "5.0.1", devices: [] });
    const door = await worker(fakePort, info, newPairingToken(), events);
    const relayEvents: RelayEvent[] = [];
    const relay = await startRelay({ worker: { host: "127.0.0.1", port: door.port }, token: newPairingToken(), onEvent: (e) => relayEvents.push(e) });
    stops.push(() => relay.stop());
    const engine = connect({ host: "127.0.0.1", port: relay.port });
    engine.on("error", () => {});
    engine.write(helloRequest());
    await closed(engine);
    const refused = await waitFor(relayEvents, (e) => e.type === "refused");
    expect(refused).toMatchObject({ reason: expect.stringContaining("wrong pairing token") });
    expect(events).toContainEqual(expect.objectContaining({ type: "refused", reason: "wrong pairing token" }));
    // A raw client sending ggml bytes straight at the door gets nothing through either.
    const raw = connect({ host: "127.0.0.1", port: door.port });
    raw.on("error", () => {});
    raw.on("data", () => {});
    raw.write(Buffer.concat([helloRequest(), Buffer.from("\n")]));
    await closed(raw);
    expect(backendConnections).toBe(0);
    expect(backendBytes).toBe(0);
    // askWorker says so in a sentence.
    const err = await askWorker({ host: "127.0.0.1", port: door.port }, newPairingToken()).catch((e) => e);
    expect(err).toBeInstanceOf(RpcWorkerRefused);
    expect(err.message).toBe(`The RPC worker 127.0.0.1:${door.port} refused the connection: wrong pairing token.`);
  });

  test("a port already taken is a clear error", async () => {
    const taken = createServer();
    const port = await new Promise<number>((r) => taken.listen(0, "127.0.0.1", () => r((taken.address() as { port: number }).port)));
    stops.push(() => taken.close());
    const err = await startWorkerListener({ token: newPairingToken(), host: "127.0.0.1", port, backendPort: 1, info: async () => ({ rpc: "5.0.1", devices: [] }) }).catch((e) => e);
    expect(err).toBeInstanceOf(RpcPortTaken);
    expect(err.message).toBe(`Port ${port} on 127.0.0.1 is already in use, so the RPC worker cannot listen there: stop what uses it, or choose another port.`);
  });

  test("a worker of another ggml RPC protocol version is refused with a sentence, and the engine's connection closed", async () => {
    const token = newPairingToken();
    const backend = await standin("4.0.0");
    const door = await worker(backend.port, backend.info, token);
    const events: RelayEvent[] = [];
    const relay = await startRelay({ worker: { host: "127.0.0.1", port: door.port }, token, engineVersion: () => ({ major: 5, minor: 0, patch: 1 }), onEvent: (e) => events.push(e) });
    stops.push(() => relay.stop());
    const err = await probeRpcServer("127.0.0.1", relay.port, 5_000).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    const refused = await waitFor(events, (e) => e.type === "refused");
    expect(refused).toEqual({
      type: "refused",
      worker: `127.0.0.1:${door.port}`,
      mismatch: true,
      reason:
        `RPC protocol mismatch: the worker 127.0.0.1:${door.port} speaks ggml RPC 4.0.0, this computer's engine 5.0.1. ` +
        "Run the same Easy Diffusion version on both computers.",
    });
  });

  test("a worker gone while the engine is connected is reported, naming the worker", async () => {
    const token = newPairingToken();
    const backend = await standin();
    const door = await worker(backend.port, backend.info, token);
    const events: RelayEvent[] = [];
    const relay = await startRelay({ worker: { host: "127.0.0.1", port: door.port }, token, onEvent: (e) => events.push(e) });
    stops.push(() => relay.stop());
    const engine = connect({ host: "127.0.0.1", port: relay.port });
    engine.on("error", () => {});
    engine.on("data", () => {});
    await waitFor(events, (e) => e.type === "connected");
    await backend.stop();
    const gone = await waitFor(events, (e) => e.type === "gone");
    expect(gone).toEqual({ type: "gone", worker: `127.0.0.1:${door.port}`, reason: `The RPC worker 127.0.0.1:${door.port} went away (its connection closed during the task).` });
    await closed(engine);
  });
});
