/**
 * Queue habits in real Chromium on the stand-in: "Stop all" (asked in the
 * panel, then every queued and running task ends), and the bell: the
 * notification permission flow (granted → a desktop notification when the
 * queue empties; refused → a clear note, a sound only), saved in Settings
 * (ui.notify_when_done, ui.sound_when_done). Copy and paste settings as
 * text through the real clipboard.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { BrowserContext, Page } from "playwright-core";
import { activeTab, openGenerating, openShell, SHOTS, until, waitText, type GeneratingSession } from "./harness";
import { join } from "node:path";

setDefaultTimeout(90_000);

let session: GeneratingSession;
const base = () => session.app.url.replace(/\/$/, "");
const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await fetch(base() + path, init)).json() as Promise<T>;
const post = (path: string, body: unknown, method = "POST") => fetch(base() + path, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const request = { prompt: "a quiet harbour", model: "sd-test.safetensors", steps: 2, width: 64, height: 64 };
const uiConfig = async () => (await json<{ config: { ui: { notify_when_done: boolean; sound_when_done: boolean } } }>("/api/config")).config.ui;

/** A page whose Notification constructor records what it shows (the real one would pop up on the desktop). */
async function pageIn(context: BrowserContext): Promise<Page> {
  await context.addInitScript(() => {
    const Real = window.Notification;
    const shown: string[] = [];
    (window as unknown as { shown: string[] }).shown = shown;
    class Recording extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push(`${title}: ${options?.body ?? ""}`);
      }
    }
    Object.defineProperty(window, "Notification", { value: Recording });
  });
  const page = await context.newPage();
  await openShell(page, session.app.url);
  return page;
}

beforeAll(async () => {
  session = await openGenerating("ed-ui-queue-habits", { stepMs: 30, startDelayMs: 20 });
}, 60_000);
afterAll(() => session?.close(), 30_000);

test("Stop all: asked in the panel, then every queued and running task ends", async () => {
  const page = session.page;
  await post("/api/queue", { paused: true }, "PATCH");
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push(((await (await post("/api/tasks", request)).json()) as { id: string }).id);
  const panel = activeTab(page).locator("ed-queue-panel");
  await panel.locator('button[data-action="stop-all"]').click();
  await waitText(panel.locator('button[data-action="stop-all-confirm"]'), "Stop 3?");
  await page.screenshot({ path: join(SHOTS, "stop-all.png") });
  await panel.locator('button[data-action="stop-all-confirm"]').click();
  await until(async () => {
    const { tasks } = await json<{ tasks: { id: string; state: string }[] }>("/api/tasks");
    return ids.every((id) => tasks.find((t) => t.id === id)?.state === "cancelled");
  }, "all three cancelled");
  await until(async () => (await panel.locator('button[data-action="stop-all"]').count()) === 0, "Stop all gone with nothing active");
  await post("/api/queue", { paused: false }, "PATCH");
});

test("the bell with notifications allowed: saved in Settings, one notification when the queue empties", async () => {
  const context = await session.browser.newContext({ permissions: ["notifications"] });
  try {
    const page = await pageIn(context);
    const panel = activeTab(page).locator("ed-queue-panel");
    await panel.locator('button[data-action="notify"]').click();
    await until(async () => (await panel.locator('button[data-action="notify"]').getAttribute("aria-pressed")) === "true", "the bell on");
    expect(await uiConfig()).toEqual(expect.objectContaining({ notify_when_done: true, sound_when_done: true }));
    for (let i = 0; i < 2; i++) await post("/api/tasks", request);
    await until(async () => (await page.evaluate(() => document.documentElement.dataset.queueDone)) === "1", "the queue-done announcement", 60_000);
    expect(await page.evaluate(() => (window as unknown as { shown: string[] }).shown)).toEqual(["Easy Diffusion: All 2 tasks are done."]);
    // Turning it off saves both off.
    await panel.locator('button[data-action="notify"]').click();
    await until(async () => (await uiConfig()).sound_when_done === false, "the bell off");
  } finally {
    await context.close();
  }
});

test("the bell with notifications refused: a clear note, and only the sound is on", async () => {
  const context = await session.browser.newContext();
  try {
    const page = await pageIn(context);
    await page.evaluate(() => Object.defineProperty(Notification, "requestPermission", { value: async () => "denied" }));
    const panel = activeTab(page).locator("ed-queue-panel");
    await panel.locator('button[data-action="notify"]').click();
    await waitText(panel.locator(".info"), /notifications are blocked/i);
    await page.screenshot({ path: join(SHOTS, "notify-blocked.png") });
    expect(await uiConfig()).toEqual(expect.objectContaining({ notify_when_done: false, sound_when_done: true }));
  } finally {
    await context.close();
  }
});

test("Copy settings, then Paste: the form comes back; an A1111 infotext pastes too; other text says why not", async () => {
  const context = await session.browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  try {
    const page = await pageIn(context);
    const tab = activeTab(page);
    await until(async () => (await tab.locator('select[name="model"], select#model').first().inputValue().catch(() => "")) !== "", "a model selected");
    await tab.locator("textarea#prompt").fill("a paper lantern");
    await tab.locator("input#steps").fill("13");
    await tab.locator('button[data-action="copy-settings"]').click();
    // The copy's code loads on first use: wait for the clipboard to hold it.
    let copied = "";
    await until(async () => (copied = await page.evaluate(() => navigator.clipboard.readText())) !== "", "the settings on the clipboard");
    expect(JSON.parse(copied)).toMatchObject({ prompt: "a paper lantern", steps: 13 });
    await tab.locator("textarea#prompt").fill("something else");
    await tab.locator("input#steps").fill("30");
    await tab.locator('button[data-action="paste-settings"]').click();
    await until(async () => (await tab.locator("textarea#prompt").inputValue()) === "a paper lantern", "the prompt pasted back");
    expect(await tab.locator("input#steps").inputValue()).toBe("13");
    await page.evaluate(() => navigator.clipboard.writeText("a red kite\nNegative prompt: fog\nSteps: 21, CFG scale: 5, Seed: 7, Size: 512x768"));
    await tab.locator('button[data-action="paste-settings"]').click();
    await until(async () => (await tab.locator("textarea#prompt").inputValue()) === "a red kite", "the infotext pasted");
    expect(await tab.locator("input#height").inputValue()).toBe("768");
    await page.evaluate(() => navigator.clipboard.writeText("just words"));
    await tab.locator('button[data-action="paste-settings"]').click();
    await waitText(tab.locator('p.problem[role="alert"]'), /holds no settings/);
    await page.screenshot({ path: join(SHOTS, "paste-settings.png") });
  } finally {
    await context.close();
  }
});
