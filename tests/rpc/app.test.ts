/**
 * RPC workers through the real app: /api/rpc over HTTP (the owner adds a worker after it answered the
 * pairing token with the engine's ggml RPC version; the token is never sent back, neither by
 * /api/rpc/workers nor by GET /api/config; a LAN guest is refused), the RPC devices in
 * /api/engine/devices with the memory the worker measured, a task whose model runs on RPC0 (the
 * stand-in engine, an SD_RPC build, connects through the local relay and does each step's work on the
 * worker), and a worker killed mid-task: the task fails naming the worker, the next start leaves it out.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { engineParts } from "../../engine/service";
import { freePort } from "../../engine/process/port";
import { startApp } from "../../launcher/start";
import { modelsService } from "../../models/service";
import { queueService } from "../../queue/service";
import type { RpcCoordinator } from "../../rpc/coordinator";
import { newPairingToken } from "../../rpc/handshake";
import { rpcEngineExtension } from "../../rpc/extension";
import { rpcService } from "../../rpc/service";
import { RpcWorkerStore } from "../../rpc/store";
import { resolvePaths } from "../../core/paths";
import { startWorkerBackend } from "../../rpc/worker-backend";
import { startWorkerListener, type ListenerEvent } from "../../rpc/worker-listener";
import { inProcessGuest } from "../faults/guests";
import { AccessToken } from "../../launcher/access/token";
import { queueAppOf, standin, tempData, waitState } from "../queue/harness";
import { waitFor } from "../standin/fixtures";

setDefaultTimeout(90_000);
const data = tempData("ed-rpc-app-");
const STANDIN_RPC = `${import.meta.dir}/../standin/rpc-server.ts`;
const token = newPairingToken();
const backendPort = await freePort();
const rpcServer = await startWorkerBackend(["bun", STANDIN_RPC, `127.0.0.1:${backendPort}`, "--device", "CPU:Worker CPU:6442450944:8589934592"], backendPort);
const doorEvents: ListenerEvent[] = [];
const door = await startWorkerListener({ token, host: "127.0.0.1", port: 0, backendPort, info: rpcServer.info, onEvent: (e) => doorEvents.push(e) });
const workerName = `127.0.0.1:${door.port}`;

// An engine built with SD_RPC=ON (the stand-in, told so), whose record names ggml RPC 5.0.1.
const build = { ...standin(data.dir, { rpc: true, stepMs: 150 }, "built-cpu-rpc"), rpc: "5.0.1" };
let coordinator: RpcCoordinator | undefined;
const extension = rpcEngineExtension(() => coordinator);
const parts = engineParts({
  provider: () => ({ builds: async () => [build], installed: () => [build], markGood: () => {} }),
  supervisor: { backoffMs: 50, stopGraceMs: 2_000, healthIntervalMs: 500, healthTimeoutMs: 1_000, readyTimeoutMs: 20_000, maxRestarts: 1 },
  installOnStart: false,
  extension: () => extension,
});
const app = await startApp({
  run: { server: true, noOpen: true, dataDir: data.dir, port: 0, host: "127.0.0.1" },
  env: { ...readEnv({}), edHome: undefined },
  services: [
    parts.service,
    rpcService({ engine: parts.engine, ready: (c) => (coordinator = c) }),
    modelsService({ hashInBackground: false }),
    queueService({ engine: parts.engine }),
  ],
  log: silentLogger,
});
const q = queueAppOf(app, () => parts.engine(app.ctx));
afterAll(async () => {
  await q.stop();
  await door.stop();
  await rpcServer.stop();
  data.remove();
});
/** The engine's starts (not its --list-devices runs). */
const argvOf = () =>
  readFileSync(join(build.dir, "argv.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]).filter((a) => a.includes("--listen-port"));
const request = { prompt: "a lighthouse", model: "sd-test.safetensors", seed: 7, steps: 6, width: 64, height: 64 };

describe("RPC workers in the app", () => {
  test("adding a worker: bad input, wrong token, then the right one; the token is never read back", async () => {
    const add = (json: unknown) => q.api("/api/rpc/workers", { method: "POST", json });
    expect(await (await add({ address: "nowhere", token })).json()).toMatchObject({ error: { code: "rpc_bad_worker" } });
    const closedPort = await freePort();
    const unreachable = await add({ address: `127.0.0.1:${closedPort}`, token });
    expect(unreachable.status).toBe(422);
    expect(((await unreachable.json()) as any).error).toMatchObject({ code: "rpc_worker_unreachable", message: expect.stringContaining(`127.0.0.1:${closedPort} cannot be reached`) });
    const wrong = await add({ address: workerName, token: newPairingToken() });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as any).error.message).toBe(`The RPC worker ${workerName} refused the connection: wrong pairing token.`);
    const res = await add({ address: workerName, token });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ address: workerName, state: "ready", rpc: "5.0.1", devices: [{ name: "CPU", total: 8589934592 }] });
    const list = await (await q.api("/api/rpc/workers")).text();
    expect(JSON.parse(list)).toMatchObject({ engine: { build: "test-tag/built-cpu-rpc", rpc: "5.0.1" }, workers: [{ address: workerName, state: "ready" }] });
    expect(list).not.toContain(token);
    expect(await (await q.api("/api/config")).text()).not.toContain(token);
    expect(statSync(app.ctx.paths.rpcWorkers).mode & 0o777).toBe(0o600);
    // The engine's device list gains RPC0, with the memory the worker measured.
    const devices = (await (await q.api("/api/engine/devices")).json()) as any;
    expect(devices.devices.at(-1)).toEqual({ name: "RPC0", description: `CPU Worker CPU on ${workerName}`, memory: { free: 6442450944, total: 8589934592 }, worker: workerName });
  });

  test("a worker of another ggml RPC version is refused when added, with a sentence naming both versions", async () => {
    const port = await freePort();
    const old = await startWorkerBackend(["bun", STANDIN_RPC, `127.0.0.1:${port}`, "--version", "4.0.0"], port);
    const oldToken = newPairingToken();
    const oldDoor = await startWorkerListener({ token: oldToken, host: "127.0.0.1", port: 0, backendPort: port, info: old.info });
    try {
      const res = await q.api("/api/rpc/workers", { method: "POST", json: { address: `127.0.0.1:${oldDoor.port}`, token: oldToken } });
      expect(res.status).toBe(409);
      expect(((await res.json()) as any).error).toEqual({
        code: "rpc_version_mismatch",
        message:
          `RPC protocol mismatch: the worker 127.0.0.1:${oldDoor.port} speaks ggml RPC 4.0.0, this computer's engine 5.0.1. ` +
          "Run the same Easy Diffusion version on both computers.",
      });
      const list = (await (await q.api("/api/rpc/workers")).json()) as any;
      expect(list.workers.map((w: any) => w.address)).toEqual([workerName]);
    } finally {
      await oldDoor.stop();
      await old.stop();
    }
  });

  test("a LAN guest may read the workers but not add or remove one", async () => {
    await q.api("/api/config", { method: "PATCH", json: { server: { allow_lan: true, allowed_hosts: ["192.168.1.5"] } } });
    const guest = inProcessGuest(app.app, app.port, new AccessToken(app.ctx.paths.lanToken).value);
    expect((await guest("GET", "/api/rpc/workers", undefined)).status).toBe(200);
    const add = await guest("POST", "/api/rpc/workers", JSON.stringify({ address: "10.0.0.9:50052", token }));
    expect(add.status).toBe(403);
    expect((await guest("DELETE", `/api/rpc/workers/${encodeURIComponent(workerName)}`, undefined)).status).toBe(403);
    await q.api("/api/config", { method: "PATCH", json: { server: { allow_lan: false } } });
  });

  test("a task whose model runs on RPC0 goes through the relay and the worker", async () => {
    expect((await q.api("/api/config", { method: "PATCH", json: { engine: { device: "RPC0" } } })).status).toBe(200);
    const { id } = (await (await q.api("/api/tasks", { method: "POST", json: request })).json()) as { id: string };
    const done = await waitState(q, id, ["succeeded", "failed"]);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe("succeeded");
    const argv = argvOf().at(-1)!;
    const servers = argv[argv.indexOf("--rpc-servers") + 1]!;
    expect(servers).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(argv[argv.indexOf("--backend") + 1]).toBe("RPC0");
    expect(doorEvents.filter((e) => e.type === "relay-open")).toHaveLength(1);
    expect(parts.engine(app.ctx).logs().join("\n")).toContain(`Adding RPC server: ${servers}`);
  });

  test("after a restart the stored workers are relayed at start, before any /api/rpc request", async () => {
    const again = tempData("ed-rpc-again-");
    new RpcWorkerStore(resolvePaths(readEnv({}), { dataDir: again.dir }).rpcWorkers).put(workerName, token);
    let loaded: RpcCoordinator | undefined;
    const second = engineParts({ provider: () => ({ builds: async () => [build], installed: () => [build], markGood: () => {} }), installOnStart: false });
    const app2 = await startApp({
      run: { server: true, noOpen: true, dataDir: again.dir, port: 0, host: "127.0.0.1" },
      env: { ...readEnv({}), edHome: undefined },
      services: [second.service, rpcService({ engine: second.engine, ready: (c) => (loaded = c) })],
      log: silentLogger,
    });
    try {
      const deadline = Date.now() + 20_000;
      while (!loaded?.engineArgs(build).length && Date.now() < deadline) await Bun.sleep(20);
      expect(loaded!.engineArgs(build)).toEqual(["--rpc-servers", expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
    } finally {
      await app2.stop("test");
      again.remove();
    }
  });

  test("a worker killed mid-task fails the task naming it; the engine comes back by itself without it", async () => {
    const { id } = (await (await q.api("/api/tasks", { method: "POST", json: { ...request, steps: 40, seed: 8 } })).json()) as { id: string };
    await waitState(q, id, ["running"]);
    await rpcServer.stop();
    const failed = await waitState(q, id, ["failed", "succeeded"]);
    expect(failed.state).toBe("failed");
    expect(failed.error?.message).toContain(`The RPC worker ${workerName} went away`);
    const workers = (await (await q.api("/api/rpc/workers")).json()) as any;
    expect(workers.workers[0]).toMatchObject({ state: "gone", reason: expect.stringContaining(workerName) });
    // The supervisor's restart reads the flags again: no --rpc-servers, and the chosen RPC0 (gone) becomes automatic
    // placement, so the engine is ready again with nothing changed in the settings.
    await waitFor("the engine back without the worker", () => parts.engine(app.ctx).status().state === "ready" && !argvOf().at(-1)!.includes("--rpc-servers"));
    expect(argvOf().at(-1)).not.toContain("RPC0");
    expect(app.ctx.config.config.engine.device).toBe("RPC0");
    const next = (await (await q.api("/api/tasks", { method: "POST", json: { ...request, seed: 9 } })).json()) as { id: string };
    expect((await waitState(q, next.id, ["succeeded", "failed"])).state).toBe("succeeded");
    expect(argvOf().at(-1)).not.toContain("--rpc-servers");
  });
});
