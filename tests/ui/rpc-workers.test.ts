/**
 * Settings → Workers → RPC workers in real Chromium against the real app and a real worker door (the
 * stand-in ggml RPC server behind our authenticated listener): the card says which engine can use RPC
 * workers, a pasted pairing text fills address and token, a wrong token shows the server's sentence,
 * the right one lists the worker with its device and memory (and the Engine tab lists RPC0 with it),
 * Remove takes it away.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { engineParts } from "../../engine/service";
import { freePort } from "../../engine/process/port";
import { startApp, type RunningApp } from "../../launcher/start";
import type { RpcCoordinator } from "../../rpc/coordinator";
import { newPairingToken } from "../../rpc/handshake";
import { rpcService } from "../../rpc/service";
import { startWorkerBackend, type WorkerBackend } from "../../rpc/worker-backend";
import { startWorkerListener, type WorkerListener } from "../../rpc/worker-listener";
import { assets } from "../../ui/dist/manifest";
import { standin } from "../queue/harness";
import { detectHardware } from "../../engine/detect/detect";
import { recordedProbeIO } from "../../engine/detect/probe-io";
import { probeFixtures } from "../fixtures/probes/fixtures";
import { launchBrowser, openShell, tempDataDir, waitText } from "./harness";

setDefaultTimeout(30_000);
const data = tempDataDir("ed-ui-rpc-");
const token = newPairingToken();
let browser: Browser;
let app: RunningApp;
let page: Page;
let rpcServer: WorkerBackend;
let door: WorkerListener;
let coordinator: RpcCoordinator | undefined;

beforeAll(async () => {
  const port = await freePort();
  rpcServer = await startWorkerBackend(["bun", `${import.meta.dir}/../standin/rpc-server.ts`, `127.0.0.1:${port}`, "--device", "CPU:Worker CPU:6442450944:8589934592"], port);
  door = await startWorkerListener({ token, host: "127.0.0.1", port: 0, backendPort: port, info: rpcServer.info });
  const build = { ...standin(data.dir, { rpc: true }, "built-cpu-rpc"), rpc: "5.0.1" };
  const parts = engineParts({
    provider: () => ({
      builds: async () => [build],
      installed: () => [build],
      markGood: () => {},
      // The Engine tab's machine (a recorded Linux CPU machine) and no release to choose from: offline.
      plan: async () => ({
        hardware: await detectHardware(recordedProbeIO(probeFixtures().find(([n]) => n === "debian12-cpu")![1].recording)),
        release: { tag: "test-tag", fromCache: true, offline: "no network in this test" },
        choice: { candidates: [], rejected: [] },
      }),
    }),
    installOnStart: false,
    // As launcher/wiring.ts hands the engine the coordinator.
    extension: () => ({ args: (b) => coordinator?.engineArgs(b) ?? [], devices: async () => coordinator?.devices() ?? [] }),
  });
  [browser, app] = await Promise.all([
    launchBrowser(),
    startApp({
      run: { server: false, noOpen: true, dataDir: data.dir, port: 0 },
      env: { ...readEnv({}), edHome: undefined },
      services: [parts.service, rpcService({ engine: parts.engine, ready: (c) => (coordinator = c) })],
      ui: assets,
      log: silentLogger,
    }),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openShell(page, app.url);
  await page.click("ed-main-menu .trigger");
  await page.click('ed-main-menu [data-command="app:settings"]');
  await card().locator("[data-role=rpc-engine]").waitFor();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await door?.stop();
  await rpcServer?.stop();
  data.remove();
});

const card = () => page.locator("ed-settings-app ed-rpc-workers-card");

describe("RPC workers card", () => {
  test("says which engine can use RPC workers; a wrong token is refused with the server's sentence", async () => {
    expect(await card().locator("[data-role=rpc-engine]").textContent()).toContain("The engine test-tag/built-cpu-rpc can use RPC workers (ggml RPC 5.0.1).");
    // The coordinator loads with the card's first /api/rpc request (rpc/service.ts), not at start.
    expect(coordinator).toBeDefined();
    await card().locator("input[name=address]").fill(`127.0.0.1:${door.port}`);
    await card().locator("input[name=token]").fill(newPairingToken());
    await card().locator("button[type=submit]").click();
    await waitText(card().locator("[role=alert]"), `The RPC worker 127.0.0.1:${door.port} refused the connection: wrong pairing token.`);
  });

  test("the pairing text pasted whole fills both fields; added, the worker shows its device and memory; Remove takes it away", async () => {
    await card().locator("input[name=address]").fill(`edrpc://127.0.0.1:${door.port}#${token}`);
    expect(await card().locator("input[name=address]").inputValue()).toBe(`127.0.0.1:${door.port}`);
    expect(await card().locator("input[name=token]").inputValue()).toBe(token);
    await card().locator("button[type=submit]").click();
    const row = card().locator(`li.worker[data-address="127.0.0.1:${door.port}"]`);
    await waitText(row.locator("[data-role=state]"), "ready");
    expect(await row.locator("[data-role=device]").textContent()).toBe("CPU Worker CPU: 6.0 GiB free of 8.0 GiB");
    expect(await page.content()).not.toContain(token);
    // The Engine tab's device list shows the worker's device as the engine names it, with the worker's memory.
    await page.click("ed-status-bar ed-engine-indicator button.chip");
    const rpc0 = page.locator('ed-shell section.pane:not([hidden]) ed-engine-app ed-engine-hardware [data-device="RPC0"]');
    await waitText(rpc0.locator("[data-role=memory]"), "· 6.0 GiB free of 8.0 GiB");
    expect(await rpc0.textContent()).toContain(`CPU Worker CPU on 127.0.0.1:${door.port}`);
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [data-command="app:settings"]');
    await row.locator("[data-role=remove]").click();
    await row.waitFor({ state: "detached" });
  });
});
