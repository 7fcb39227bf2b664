/**
 * The RPC worker program and an RPC-enabled engine built with the real CMake and C++ compiler from a
 * tiny upstream-shaped tree (tests/engine-build/source-tree.ts) served by a local GitHub-like API: the
 * worker is compiled once, in the same CMake run as ggml (it inherits upstream's GGML_MAX_NAME=160, or
 * the fixture's ggml-rpc.h refuses to compile), runs on loopback only, and answers ggml RPC with the
 * version its ggml-rpc.h declares; the engine built with SD_RPC=ON records that version.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { buildEngine } from "../../engine/build/build-engine";
import { readInstall } from "../../engine/install/installed";
import { freePort } from "../../engine/process/port";
import { buildWorker, findWorker } from "../../rpc/worker-build";
import { startWorkerBackend } from "../../rpc/worker-backend";
import { tempDir } from "../standin/fixtures";
import { cpuBuildOptions, makeSourceFixture, serveGithub } from "../engine-build/source-tree";
import { needBuildTools } from "../kit/needs";

setDefaultTimeout(180_000);
const haveTools = needBuildTools();
const tmp = tempDir();
const fixtures = haveTools ? [await makeSourceFixture("v-rpc")] : [];
const gh = serveGithub(fixtures);
afterAll(() => {
  gh.stop();
  tmp.cleanup();
});

const common = (tag: string) => cpuBuildOptions(gh.apiBase, tmp.dir, tag);

describe.skipIf(!haveTools)("RPC builds", () => {
  test("the worker program is built once from the pinned source and serves ggml RPC on loopback", async () => {
    const builds = join(tmp.dir, "engines", "rpc-worker");
    const logFile = join(tmp.dir, "logs", "rpc-worker.log");
    const steps: string[] = [];
    const worker = await buildWorker({ ...common("v-rpc"), builds, logFile, onStep: (s) => steps.push(s) });
    expect(worker).toMatchObject({ tag: "v-rpc", backend: "cpu", rpc: "5.0.1", dir: join(builds, "v-rpc-cpu") });
    expect(steps.filter((s, i) => s !== steps[i - 1])).toEqual(["download", "configure", "compile", "install"]);
    const log = readFileSync(logFile, "utf8");
    expect(log).toContain("-DSD_RPC=ON");
    expect(log).toContain("-DGGML_RPC_RDMA=OFF");
    expect(log).toContain("--target ed-rpc-worker");
    // Once: the second call finds it without a request.
    const before = gh.requests.length;
    expect(await buildWorker({ ...common("v-rpc"), builds, logFile })).toEqual(worker);
    expect(gh.requests.length).toBe(before);
    expect(findWorker(builds, "v-rpc", "cpu")).toEqual(worker);

    // Loopback only: another address is refused by the program itself.
    const refused = Bun.spawnSync([worker.program, "0.0.0.0:50052"]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.toString()).toContain("loopback only");
    const port = await freePort();
    const backend = await startWorkerBackend([worker.program, `127.0.0.1:${port}`, "auto"], port);
    try {
      expect(await backend.info(false)).toEqual({ rpc: "5.0.1", devices: [{ name: "CPU", description: "Fixture CPU", free: 2147483648, total: 4294967296 }] });
    } finally {
      await backend.stop();
    }
  });

  test("`worker rpc`: a taken port is a clear error (exit 1); else it prints the pairing and stops on Ctrl+C", async () => {
    // This test's data folder is the worker's: the program built above is found, nothing is built again.
    writeFileSync(join(tmp.dir, "config.yaml"), `engine:\n  api_base: ${gh.apiBase}\n  release_tag: v-rpc\n`);
    const cli = (port: number) =>
      Bun.spawn(["bun", join(import.meta.dir, "..", "..", "launcher", "main.ts"), "worker", "rpc", "--backend", "cpu", "--host", "127.0.0.1", "--port", String(port), "--data-dir", tmp.dir], {
        stdout: "pipe",
        stderr: "pipe",
        env: { ...process.env, ED_HOME: "" },
      });
    const taken = createServer();
    const port = await new Promise<number>((r) => taken.listen(0, "127.0.0.1", () => r((taken.address() as { port: number }).port)));
    try {
      const refused = cli(port);
      expect(await refused.exited).toBe(1);
      expect(await new Response(refused.stderr).text()).toContain(
        `the RPC worker could not start: Port ${port} on 127.0.0.1 is already in use, so the RPC worker cannot listen there: stop what uses it, or choose another port.`,
      );
    } finally {
      taken.close();
    }
    const free = await freePort();
    const run = cli(free);
    let out = "";
    for await (const c of run.stdout as ReadableStream<Uint8Array>) {
      out += new TextDecoder().decode(c);
      if (out.includes("Ctrl+C")) break;
    }
    expect(out).toContain("This computer is an RPC worker (ggml RPC 5.0.1, cpu build), listening on 127.0.0.1:");
    expect(out).toContain("  device CPU: Fixture CPU (4096 MiB, 2048 MiB free)");
    expect(out).toContain(`  address: 127.0.0.1:${free}`);
    expect(out).toMatch(/ {2}pairing token: [A-Za-z0-9_-]{43}\n/);
    expect(out).toContain("Authenticated, not encrypted: use it only on a network you trust (LAN only).");
    run.kill("SIGINT");
    expect(await run.exited).toBe(0);
  });

  test("an engine built with RPC is installed as built-cpu-rpc and records its ggml RPC version", async () => {
    const built = await buildEngine({ ...common("v-rpc"), rpc: true, logFile: join(tmp.dir, "logs", "engine-rpc.log") });
    expect(built).toMatchObject({ variant: "built-cpu-rpc", rpc: "5.0.1" });
    expect(readInstall(built.dir)!.record).toMatchObject({ source: "build", rpc: "5.0.1", good: true });
    expect(readFileSync(join(tmp.dir, "logs", "engine-rpc.log"), "utf8")).toContain("-DSD_RPC=ON");
  });
});
