/**
 * /api/engine/build and /api/engine/toolchain through the real app: a build
 * of the tiny upstream-shaped tree from a local GitHub-like API, started over
 * HTTP, followed by GET /build, then run by the engine manager.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { SourceBuilder } from "../../engine/build/builder";
import { readInstall } from "../../engine/install/installed";
import { engineParts } from "../../engine/service";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp } from "../../launcher/start";
import { dummyModels, standinInstalled, tempDir, waitFor } from "../standin/fixtures";
import { makeSourceFixture, serveGithub } from "./source-tree";
import { needBuildTools } from "../kit/needs";

setDefaultTimeout(120_000);
const haveTools = needBuildTools();
const tmp = tempDir();
const gh = serveGithub(haveTools ? [await makeSourceFixture("v-routes")] : []);
const cpu = standinInstalled(tmp.dir, "cpu");
const parts = engineParts({
  provider: () => ({ builds: async () => [cpu], markGood: () => {} }),
  builder: (ctx) =>
    new SourceBuilder({
      config: { config: { ...ctx.config.config, engine: { ...ctx.config.config.engine, api_base: gh.apiBase, release_tag: "v-routes" } } },
      paths: ctx.paths,
      bus: ctx.bus,
      jobs: 2,
    }),
  supervisor: { stopGraceMs: 2_000 },
  installOnStart: false,
});
const app = await startApp({
  run: { server: true, noOpen: true, dataDir: join(tmp.dir, "data"), port: 0, host: "127.0.0.1" },
  env: { ...readEnv({}), home: tmp.dir },
  services: [parts.service],
  log: silentLogger,
});
const manager = parts.engine(app.ctx);
afterAll(async () => {
  await app.stop();
  gh.stop();
  tmp.cleanup();
});
const api = (path: string, init?: RequestInit) => fetch(`${app.url}/api/engine${path}`, init);
const post = (path: string, body?: unknown) => api(path, { method: "POST", headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

describe("/api/engine build routes", () => {
  test("toolchain lists what a backend needs; a bad backend is a 400", async () => {
    const res = await api("/toolchain?backend=cuda");
    expect(res.status).toBe(200);
    const report = (await res.json()) as any;
    expect(report.backend).toBe("cuda");
    // c++17 support: the found compiler's test compile (only listed when there is a compiler).
    expect(report.items.map((i: any) => i.name)).toEqual(haveTools ? ["cmake", "c++ compiler", "c++17 support", "nvcc"] : expect.arrayContaining(["cmake", "c++ compiler", "nvcc"]));
    expect((await api("/toolchain?backend=metal")).status).toBe(400);
    expect((await post("/build", { backend: "metal" })).status).toBe(400);
    expect(await (await post("/build/cancel")).json()).toEqual({ cancelled: false });
  });

  test.skipIf(!haveTools)("POST /build builds in the background, refuses a second one, and the engine runs the result", async () => {
    const res = await post("/build", { backend: "cpu" });
    expect(res.status).toBe(202);
    expect(((await res.json()) as any).backend).toBe("cpu");
    const again = await post("/build", { backend: "cpu" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).error.code).toBe("build_running");
    const final = await waitFor("the build to end", async () => {
      const s = (await (await api("/build")).json()) as any;
      return !s.running && s.progress?.phase !== "running" ? s : undefined;
    }, 90_000);
    expect(final.progress).toMatchObject({ phase: "done", step: "start", percent: 100 });
    await waitFor("the built variant", async () => manager.status().variant === "built-cpu" || undefined);
    await manager.ensure(dummyModels(tmp.dir));
    expect(manager.status()).toMatchObject({ state: "ready", variant: "built-cpu", version: "v-routes" });
  });

  test.skipIf(!haveTools)("POST /build {rpc: true} builds with SD_RPC=ON; its record says it can use RPC workers", async () => {
    expect((await post("/build", { backend: "cpu", rpc: "yes" })).status).toBe(400);
    expect((await post("/build", { backend: "cpu", rpc: true })).status).toBe(202);
    const final = await waitFor("the RPC build to end", async () => {
      const s = (await (await api("/build")).json()) as any;
      return !s.running && s.progress?.phase !== "running" ? s : undefined;
    }, 90_000);
    expect(final.progress).toMatchObject({ phase: "done" });
    // The engine moves onto the new build; its record names the ggml RPC version it speaks.
    await waitFor("the RPC variant", async () => manager.status().variant === "built-cpu-rpc" || undefined);
    expect(readInstall(join(app.ctx.paths.engines, "v-routes", "built-cpu-rpc"))!.record).toMatchObject({ rpc: "5.0.1", good: true });
  });
});
