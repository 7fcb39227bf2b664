/**
 * Speed and GPU memory use in real Chromium, through the real app, queue and
 * engine manager on the stand-in sd-server (an 800 MiB "GPU": everything
 * resident does not fit, auto-fit's time-share does): the Speed control
 * beside Steps, remembered per tab and brought back by Reuse settings; the
 * finished card's reuse line; the GPU memory setting in Settings; the card's
 * note when out of memory made the task run a level lower, and the level
 * remembered for the model in the Model Browser.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Page } from "playwright-core";
import type { RunningApp } from "../../launcher/start";
import { activeTab, fieldValue, openGenerating, until, waitText, type GeneratingSession } from "./harness";

setDefaultTimeout(60_000);

let app: RunningApp;
let page: Page;
let session: GeneratingSession;

const results = () => activeTab(page).locator("ed-results");
const api = async <T>(path: string, init?: RequestInit): Promise<T> => (await fetch(app.url.replace(/\/$/, "") + path, init)).json() as Promise<T>;
const tasks = async () => (await api<{ tasks: { id: string; state: string; request: Record<string, unknown> }[] }>("/api/tasks")).tasks;

async function generate(prompt: string, steps: number) {
  const tab = activeTab(page);
  await tab.locator("textarea#prompt").fill(prompt);
  await tab.locator("input#steps").fill(String(steps));
  await tab.locator("input#width").fill("64");
  await tab.locator("input#height").fill("64");
  await tab.locator("textarea#prompt").press("Control+Enter");
  const card = results().locator(`section.task[data-state="succeeded"]`, { hasText: prompt });
  await card.locator("figure img").first().waitFor({ timeout: 30_000 });
  return card;
}

beforeAll(async () => {
  session = await openGenerating("ed-ui-speed", { stepMs: 30, startDelayMs: 100, gpuMemoryMb: 800 });
  ({ app, page } = session);
}, 60_000);

afterAll(() => session?.close(), 30_000);

describe("Speed", () => {
  test("the control sits beside Steps with Default/Quality/Balanced/Fast; Fast reaches the task and the card says what was reused", async () => {
    const select = activeTab(page).locator("select#speed");
    expect(await select.locator("option").allTextContents()).toEqual(["Default", "Quality", "Balanced", "Fast"]);
    // Beside Steps: the same row.
    const row = activeTab(page).locator(".row", { has: page.locator("input#steps") });
    expect(await row.locator("select#speed").count()).toBe(1);
    await select.selectOption("fast");
    const card = await generate("a fast lighthouse", 20);
    await waitText(card.locator('.run-note[data-note="speed"]'), /^\d+ of 20 steps reused, ×\d\.\d$/);
    const task = (await tasks()).find((t) => t.request.prompt === "a fast lighthouse")!;
    expect(task.request.speed).toBe("fast");
  });

  test("remembered per tab across a reload; Reuse settings brings a picture's speed back", async () => {
    await page.reload();
    await until(async () => (await fieldValue(page, "model").catch(() => "")) !== "", "the form back");
    expect(await fieldValue(page, "speed")).toBe("fast");
    await activeTab(page).locator("select#speed").selectOption("balanced");
    const card = await generate("a balanced lighthouse", 20);
    await waitText(card.locator('.run-note[data-note="speed"]'), "9 of 20 steps reused, ×1.8");
    await activeTab(page).locator("select#speed").selectOption("quality");
    await card.locator('figure button[data-action="reuse"]').first().click();
    await until(async () => (await fieldValue(page, "speed")) === "balanced", "speed back to balanced");
  });
});

describe("GPU memory use", () => {
  test("Settings → Engine offers the four levels; Fastest saved; out of memory → the card says it ran a level lower", async () => {
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [data-command="app:settings"]');
    const control = page.locator('ed-settings-app ed-settings-field[data-path="engine.memory"] select');
    await control.waitFor();
    expect(await control.locator("option").allTextContents()).toEqual(["Automatic", "Fastest", "Low", "Very low"]);
    await control.selectOption("fastest");
    await page.locator("ed-settings-app button.primary").click();
    await waitText(page.locator("ed-settings-app .saved"), "Saved");
    expect(app.ctx.config.config.engine.memory).toBe("fastest");
    // Back to the Image tab: the next task needs more than the 800 MiB GPU at Fastest.
    await page.locator("ed-tab-strip [role=tab]", { hasText: "Image" }).first().click();
    const card = await generate("a lighthouse that does not fit", 4);
    await waitText(card.locator('.run-note[data-note="memory"]'), "Out of GPU memory: ran with Automatic memory use");
    const model = (await tasks()).find((t) => t.request.prompt === "a lighthouse that does not fit")!.request.model;
    // The Model Browser shows the level remembered for the model (the next task starts there).
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [role=menuitem][data-command="app:model-browser"]');
    await waitText(page.locator(`ed-installed-view [data-model="stable-diffusion/${model}"] [data-memory-level="auto"]`), "Runs with Automatic GPU memory use (it ran out of memory above it)");
  });
});
