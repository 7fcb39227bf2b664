/**
 * Real binaries at small scale, two network namespaces apart: the worker program and an RPC-enabled
 * engine are built with the real CMake and compiler from a tiny upstream-shaped tree
 * (tests/engine-build/source-tree.ts); `easy-diffusion worker rpc` runs in a network namespace made by
 * the test (its own loopback, a veth to this one), and the app here pairs with it over the veth: a
 * wrong token is refused, the right one gives RPC0 with the worker's memory, and a task whose model
 * is on RPC0 runs through our relay and the worker's listener. Needs root, iproute2 and the build tools.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { resolvePaths } from "../../core/paths";
import { buildEngine } from "../../engine/build/build-engine";
import { engineParts } from "../../engine/service";
import { startApp, type RunningApp } from "../../launcher/start";
import { modelsService } from "../../models/service";
import { queueService } from "../../queue/service";
import type { RpcCoordinator } from "../../rpc/coordinator";
import { newPairingToken } from "../../rpc/handshake";
import { rpcEngineExtension } from "../../rpc/extension";
import { rpcService } from "../../rpc/service";
import { buildWorker } from "../../rpc/worker-build";
import { MAIN_REPO, makeSourceFixture, serveGithub } from "../engine-build/source-tree";
import { needBuildTools } from "../kit/needs";
import { PhoneNamespace } from "../launcher/netns";
import { queueAppOf, tempData, waitState, type QueueApp } from "../queue/harness";
import { waitFor } from "../standin/fixtures";

setDefaultTimeout(180_000);
const haveTools = needBuildTools();
const ns = new PhoneNamespace();
const netns = haveTools && ns.make() && Bun.spawnSync(["ip", "netns", "exec", ns.ns, "ip", "link", "set", "lo", "up"]).exitCode === 0;
if (haveTools && !netns) console.warn("no network namespace can be made here (needs root and iproute2): the namespaced RPC test is skipped");
const data = tempData("ed-rpc-netns-");
const workerData = join(data.dir, "worker-home");
const gh = serveGithub(netns ? [await makeSourceFixture("v-netns")] : []);
let worker: ReturnType<typeof Bun.spawn> | undefined;
let app: RunningApp | undefined;
let q: QueueApp | undefined;
afterAll(async () => {
  await q?.stop();
  worker?.kill("SIGINT");
  await worker?.exited;
  if (netns) ns.remove();
  gh.stop();
  data.remove();
});

describe.skipIf(!netns)("RPC worker in its own network namespace, real binaries", () => {
  test("pairing over the veth, a wrong token refused, a task on RPC0 through both relays", async () => {
    const source = { apiBase: gh.apiBase, repo: MAIN_REPO, tag: "v-netns", jobs: 2, download: { retries: 0, backoffMs: 10 } };
    // The worker computer's data folder: its config names the tag; its worker program is built once (here, as the
    // namespace cannot reach this test's GitHub-like server), and `worker rpc` finds it.
    mkdirSync(workerData, { recursive: true });
    writeFileSync(join(workerData, "config.yaml"), `engine:\n  api_base: ${gh.apiBase}\n  release_tag: v-netns\n`);
    const wp = resolvePaths({ ...readEnv({}), edHome: undefined }, { dataDir: workerData });
    const logs = join(data.dir, "logs");
    await buildWorker({ ...source, backend: "cpu", builds: wp.rpcWorkerBuilds, engines: wp.engines, downloadsDir: wp.downloads, logFile: join(logs, "w.log") });
    const engines = join(data.dir, "engines");
    const build = await buildEngine({ ...source, backend: "cpu", rpc: true, engines, downloadsDir: join(data.dir, "downloads"), logFile: join(logs, "e.log") });
    expect(build).toMatchObject({ variant: "built-cpu-rpc", rpc: "5.0.1" });

    const cli = ["bun", join(import.meta.dir, "..", "..", "launcher", "main.ts"), "worker", "rpc", "--backend", "cpu", "--data-dir", workerData];
    worker = Bun.spawn(["ip", "netns", "exec", ns.ns, ...cli], { stdout: "pipe", stderr: "pipe", env: { ...process.env, ED_HOME: "" } });
    let out = "";
    let err = "";
    void (async () => {
      for await (const c of worker!.stdout as ReadableStream<Uint8Array>) out += new TextDecoder().decode(c);
    })();
    void (async () => {
      for await (const c of worker!.stderr as ReadableStream<Uint8Array>) err += new TextDecoder().decode(c);
    })();
    const token = (await waitFor("the worker's pairing token", () => /pairing token: (\S{43})/.exec(out)?.[1], 60_000))!;
    expect(out).toContain("Authenticated, not encrypted");
    expect(out).toContain(`address: ${ns.phoneIp}:50052`);

    let coordinator: RpcCoordinator | undefined;
    const parts = engineParts({
      provider: () => ({ builds: async () => [build], installed: () => [build], markGood: () => {} }),
      supervisor: { backoffMs: 50, stopGraceMs: 2_000, readyTimeoutMs: 20_000 },
      installOnStart: false,
      extension: () => rpcEngineExtension(() => coordinator),
    });
    app = await startApp({
      run: { server: true, noOpen: true, dataDir: data.dir, port: 0, host: "127.0.0.1" },
      env: { ...readEnv({}), edHome: undefined },
      services: [parts.service, rpcService({ engine: parts.engine, ready: (c) => (coordinator = c) }), modelsService({ hashInBackground: false }), queueService({ engine: parts.engine })],
      log: silentLogger,
    });
    q = queueAppOf(app, () => parts.engine(app!.ctx));
    const address = `${ns.phoneIp}:50052`;
    const wrong = await q.api("/api/rpc/workers", { method: "POST", json: { address, token: newPairingToken() } });
    expect(wrong.status).toBe(422);
    await waitFor("the worker's log of the refusal", () => err.includes(`refused ${ns.hostIp}:`) && err.includes("wrong pairing token"), 10_000);
    const added = await q.api("/api/rpc/workers", { method: "POST", json: { address, token } });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ state: "ready", rpc: "5.0.1", devices: [{ name: "CPU", description: "Fixture CPU", free: 2147483648 }] });
    const devices = (await (await q.api("/api/engine/devices")).json()) as { devices: { name: string; worker?: string }[] };
    expect(devices.devices.find((d) => d.name === "RPC0")).toMatchObject({ worker: address });

    await q.api("/api/config", { method: "PATCH", json: { engine: { device: "RPC0" } } });
    const { id } = (await (await q.api("/api/tasks", { method: "POST", json: { prompt: "a harbour", model: "sd-test.safetensors", seed: 3, steps: 4, width: 64, height: 64 } })).json()) as { id: string };
    const done = await waitState(q, id, ["succeeded", "failed"], 60_000);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe("succeeded");
    // The engine's connection crossed the veth: the worker logged a relay from this side's address.
    expect(err).toMatch(new RegExp(`relay-open ${ns.hostIp.replace(/\./g, "\\.")}:\\d+`));
    expect(parts.engine(app.ctx).logs().join("\n")).toMatch(/Adding RPC server: 127\.0\.0\.1:\d+/);
    expect(readFileSync(join(build.dir, "install.json"), "utf8")).toContain('"rpc": "5.0.1"');
  });
});
