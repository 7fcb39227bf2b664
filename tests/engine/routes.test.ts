import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { EngineFailure } from "../../engine/manager";
import { engineParts } from "../../engine/service";
import type { InstalledBuild } from "../../engine/types";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp } from "../../launcher/start";
import { alive, dummyModels, standinInstalled, tempDir, waitFor } from "../standin/fixtures";
import { standinBuild } from "../standin/pack";

setDefaultTimeout(60_000);
const tmp = tempDir();
const models = dummyModels(tmp.dir);
const cpu = standinInstalled(tmp.dir, "cpu");

/** Accepts a folder holding sd-server, as the real importer does after its checks. */
async function importFolder(path: string): Promise<InstalledBuild> {
  if (!existsSync(join(path, "sd-server"))) throw new EngineFailure({ code: "no_candidate", message: `${path} holds no sd-server` });
  return { tag: "imported-test", variant: "imported", backend: "cpu", dir: path, serverPath: join(path, "sd-server") };
}

const parts = engineParts({
  provider: () => ({ builds: async () => [cpu], markGood: () => {} }),
  importer: () => importFolder,
  supervisor: { stopGraceMs: 2_000 },
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
  tmp.cleanup();
});

const api = (path: string, init?: RequestInit) => fetch(`${app.url}/api/engine${path}`, init);
const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
  api(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
/** As the app's own page sends it: from its origin, after the user confirmed. */
/** A typed path as the Engine tab sends it: confirmed, with the one-time nonce it asked for. */
const importPath = async (path: string) => {
  const { nonce } = (await (await post("/import/nonce", {}, { origin: new URL(app.url).origin })).json()) as { nonce: string };
  return post("/import", { path, confirm: true, nonce }, { origin: new URL(app.url).origin });
};

describe("/api/engine", () => {
  test("the service installs on start; state, install, restart before any start", async () => {
    await waitFor("the install on start", async () => ((await (await api("")).json()) as any).state === "installed");
    const installed = await post("/install");
    expect(installed.status).toBe(200);
    expect(await installed.json()).toEqual({ state: "installed", variant: "cpu", version: "test-tag", builds: [{ tag: "test-tag", variant: "cpu", backend: "cpu", dir: cpu.dir, rpc: null }] });
    const restart = await post("/restart");
    expect(restart.status).toBe(409);
    expect(((await restart.json()) as any).error.code).toBe("no_candidate");
  });

  test("running engine: state with port, logs, restart, stop", async () => {
    await manager.ensure(models);
    const status = (await (await api("")).json()) as any;
    expect(status).toMatchObject({ state: "ready", variant: "cpu", version: "test-tag" });
    expect((await fetch(`http://127.0.0.1:${status.port}/`)).status).toBe(200);

    const logs = (await (await api("/logs?lines=3")).json()) as any;
    expect(logs.lines).toHaveLength(3);
    await waitFor("the listening line in the log", async () => (((await (await api("/logs")).json()) as any).lines as string[]).some((l) => l.includes("listening on: http://127.0.0.1:")));
    expect((await api("/logs?lines=abc")).status).toBe(400);

    const pid = manager.supervisor.running!.pid;
    const restarted = await post("/restart");
    expect(restarted.status).toBe(200);
    expect(((await restarted.json()) as any).state).toBe("ready");
    expect(manager.supervisor.running!.pid).not.toBe(pid);

    const pid2 = manager.supervisor.running!.pid;
    const stopped = await post("/stop");
    expect(((await stopped.json()) as any).state).toBe("stopped");
    expect(alive(pid2)).toBe(false);
  });

  test("import: bad bodies are 400; a folder with sd-server becomes the running build", async () => {
    expect((await post("/import", "{nope")).status).toBe(400);
    const missing = await post("/import", {});
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as any).error.code).toBe("invalid_request");
    // By path only confirmed, with a nonce from the server (an Origin header proves nothing).
    expect((await post("/import", { path: join(tmp.dir, "empty"), confirm: true })).status).toBe(403);
    expect((await post("/import", { path: join(tmp.dir, "empty"), confirm: true }, { origin: new URL(app.url).origin })).status).toBe(403);
    expect((await post("/import", { path: join(tmp.dir, "empty") }, { origin: new URL(app.url).origin })).status).toBe(400);
    const empty = await importPath(join(tmp.dir, "empty"));
    expect(empty.status).toBe(409);

    const folder = join(tmp.dir, "my-build");
    standinBuild(folder, { startDelayMs: 50 });
    await manager.ensure(models);
    const res = await importPath(folder);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.build).toMatchObject({ variant: "imported", tag: "imported-test" });
    await waitFor("the imported build to run", () => manager.status().variant === "imported" && manager.status().state === "ready");
  });

  test("stopping the app stops the engine", async () => {
    await manager.ensure(models);
    const pid = manager.supervisor.running!.pid;
    await app.stop();
    expect(alive(pid)).toBe(false);
  });
});
