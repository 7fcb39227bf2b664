/** The socket bound before the app loads: health at once, everything else served once the app attaches. */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../launcher/log";
import { listenEarly, type EarlyServer } from "../../launcher/server/early";
import { startApp, type RunningApp } from "../../launcher/start";

let early: EarlyServer | undefined;
let app: RunningApp | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await app?.stop();
  early?.close();
  app = early = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function freePort() {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
  const p = s.port!;
  s.stop(true);
  return p;
}

describe("listenEarly", () => {
  test("health says starting; other requests wait for the app and get its answer", async () => {
    early = listenEarly("127.0.0.1", await freePort());
    const url = early.listening.url;
    const health = await fetch(`${url}api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "starting" });
    let answered = false;
    const waiting = fetch(`${url}api/config`).then((r) => {
      answered = true;
      return r.text();
    });
    await Bun.sleep(100);
    expect(answered).toBe(false);
    early.attach(() => new Response("from the app"));
    expect(await waiting).toBe("from the app");
    expect(await (await fetch(`${url}api/health`)).text()).toBe("from the app");
  });

  test("a foreign Host is not answered early, it waits for the app's own check", async () => {
    early = listenEarly("127.0.0.1", await freePort());
    const pending = fetch(`${early.listening.url}api/health`, { headers: { host: "evil.example" } });
    await Bun.sleep(50);
    early.attach(() => new Response("checked by the app", { status: 403 }));
    expect((await pending).status).toBe(403);
  });

  test("close answers the waiting requests with 503 and frees the port", async () => {
    const port = await freePort();
    early = listenEarly("127.0.0.1", port);
    const pending = fetch(`http://127.0.0.1:${port}/x`);
    await Bun.sleep(50);
    early.close();
    expect((await pending).status).toBe(503);
    const again = Bun.serve({ port, hostname: "127.0.0.1", fetch: () => new Response("") });
    again.stop(true);
  });
});

describe("startApp with an early socket", () => {
  const env = (dir: string) => ({ home: dir, platform: "linux" as const, ci: true });

  test("the app takes over the socket when it is the wanted address", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ed-early-"));
    dirs.push(dir);
    const port = await freePort();
    early = listenEarly("127.0.0.1", port);
    app = await startApp({ run: { server: true, noOpen: true, port, dataDir: dir }, env: env(dir), log: silentLogger, early });
    expect(app.port).toBe(port);
    expect(await (await fetch(`${app.url}api/health`)).json()).toEqual({ status: "ok" });
  });

  test("the config's own port wins: the guessed socket is dropped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ed-early-"));
    dirs.push(dir);
    const [guess, wanted] = [await freePort(), await freePort()];
    writeFileSync(join(dir, "config.yaml"), `server:\n  port: ${wanted}\n`);
    early = listenEarly("127.0.0.1", guess);
    app = await startApp({ run: { server: true, noOpen: true, dataDir: dir }, env: env(dir), log: silentLogger, early });
    expect(app.port).toBe(wanted);
    expect((await fetch(`http://127.0.0.1:${wanted}/api/health`)).status).toBe(200);
    await expect(fetch(`http://127.0.0.1:${guess}/api/health`)).rejects.toThrow();
  });
});
