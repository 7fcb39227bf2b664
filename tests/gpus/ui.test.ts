/**
 * Several GPUs in real Chromium against the real app with a stand-in that lists two CUDA GPUs: Settings →
 * Engine → Devices offers Automatic and each GPU (never the CPU) and saves the chosen set (config.yaml and the
 * pool follow: one engine then); the status bar shows one dot per GPU's engine, busy while it works; the
 * Engine tab lists each device's engine with its model, task and memory, its Cancel stops that task, its Pause works;
 * each dot's title says how much of its GPU's memory is in use.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { tempData, until as waitFor, waitState } from "../queue/harness";
import { launchBrowser, openShell, until, waitText } from "../ui/harness";
import { loadUi, startGpuApp, type GpuApp } from "./harness";

setDefaultTimeout(90_000);

const data = tempData("ed-gpus-ui-");
let q: GpuApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [browser, q] = await Promise.all([launchBrowser(), startGpuApp(data.dir, 2, 8, { stepMs: 60 }, { ui: await loadUi() })]);
  await waitFor("three engines", () => q.pool.members().length === 3);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openShell(page, q.url);
});
afterAll(async () => {
  await browser?.close();
  await q?.stop();
  data.remove();
});

const openApp = (id: string) => page.evaluate((id) => (document.querySelector("ed-shell") as unknown as { openApp(id: string): void }).openApp(id), id);
const chips = () => page.locator("ed-status-bar ed-engine-device-chips button.device");

describe("several GPUs in the app", () => {
  test("the status bar shows each GPU's engine, busy while it runs a task; the Engine tab lists them; Cancel stops that task", async () => {
    await until(async () => (await chips().count()) === 2, "two device dots");
    expect(await chips().allTextContents()).toEqual(["CUDA0", "CUDA1"]);
    const res = await q.api("/api/tasks", { method: "POST", json: { prompt: "ui", model: "sd-test.safetensors", steps: 40, width: 64, height: 64 } });
    const { id } = (await res.json()) as { id: string };
    await until(async () => (await chips().first().getAttribute("class"))?.includes("tone-working") ?? false, "CUDA0 busy in the status bar");
    expect(await chips().first().getAttribute("title")).toContain(`task ${id}`);
    await openApp("engine");
    const rows = page.locator("ed-engine-app ed-engine-devices tr[data-engine]");
    await until(async () => (await rows.count()) === 3, "three engines listed");
    const first = page.locator('ed-engine-app ed-engine-devices tr[data-engine="engine"]');
    await waitText(first.locator("td.task"), new RegExp(id), 20_000);
    await waitText(first.locator("td.model"), "sd-test.safetensors", 20_000);
    expect(await first.locator("td.memory").textContent()).toBe("8 GB");
    expect(await rows.nth(2).locator("td").first().textContent()).toContain("Split over CUDA0 + CUDA1");
    // Cancel on the row stops that task; only its engine restarts.
    await first.locator("button.cancel").click();
    expect((await waitState(q, id, ["succeeded", "cancelled", "failed"])).state).toBe("cancelled");
  });

  test("each GPU's dot says how much of its memory is in use (nvidia-smi's i-th GPU is CUDA<i>)", async () => {
    await until(async () => (await chips().count()) === 2, "two device dots");
    const GB = 1024 ** 3;
    // A reading as launcher/system/stats.ts publishes it from nvidia-smi, through the app's event stream.
    const reading = { ramUsed: 4 * GB, ramTotal: 16 * GB, vramUsed: 5 * GB, vramTotal: 16 * GB };
    q.app.ctx.bus.publish("system.stats", { ...reading, gpus: [{ used: 1.5 * GB, total: 8 * GB }, { used: 3.5 * GB, total: 8 * GB }] });
    await until(async () => (await chips().nth(1).getAttribute("title"))?.includes("memory 3.5 GB of 8.0 GB") ?? false, "CUDA1's memory");
    expect(await chips().first().getAttribute("title")).toContain("memory 1.5 GB of 8.0 GB");
  });

  test("Pause on one device's row stops it taking tasks; Resume gives it back", async () => {
    const row = page.locator('ed-engine-app ed-engine-devices tr[data-engine="engine:CUDA1"]');
    await row.locator("button.pause").click();
    await waitText(row.locator("td.state"), "Paused");
    expect(q.pool.members().find((m) => m.id === "engine:CUDA1")!.paused).toBe(true);
    await until(async () => (await chips().nth(1).getAttribute("data-state")) === "paused", "CUDA1 paused in the status bar");
    await row.locator("button.pause").click();
    await waitText(row.locator("td.state"), /Ready|Stopped|Installed|Not installed/);
    expect(q.pool.members().find((m) => m.id === "engine:CUDA1")!.paused).toBe(false);
  });

  test("Settings → Engine → Devices: Automatic or chosen GPUs (never the CPU); choosing one leaves one engine", async () => {
    await openApp("settings");
    const field = page.locator('ed-settings-app ed-settings-field[data-path="engine.devices"]');
    await until(async () => (await field.locator("input[type=checkbox]").count()) === 3, "Automatic and two GPUs");
    expect(await field.locator("input[type=checkbox]").evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value))).toEqual(["", "CUDA0", "CUDA1"]);
    expect(await field.locator('input[value=""]').isChecked()).toBe(true);
    await field.locator('input[value="CUDA1"]').check();
    expect(await field.locator('input[value=""]').isChecked()).toBe(false);
    await page.locator("ed-settings-app button.primary").click();
    await until(async () => {
      const cfg = (await (await q.api("/api/config")).json()) as { config: { engine: { devices: string[] } } };
      return JSON.stringify(cfg.config.engine.devices) === '["CUDA1"]';
    }, "engine.devices saved");
    // One GPU chosen: one engine, pinned to it.
    await waitFor("one engine", () => q.pool.members().length === 1);
    expect(q.pool.devices().map((d) => d.name)).toEqual(["CUDA1"]);
    await until(async () => (await chips().count()) === 0, "no device dots with one engine");
    // Back to Automatic.
    await field.locator('input[value=""]').check();
    await page.locator("ed-settings-app button.primary").click();
    await waitFor("three engines again", () => q.pool.members().length === 3);
  });
});
