/**
 * The Image tab's lists in real Chromium on the stand-in: newest first or
 * oldest first (saved as ui.newest_first, kept over a reload); Remove with
 * Undo in a toast (a finished task back with its pictures, a waiting one back
 * in its place in the queue); "Download all (zip)" saving a zip whose
 * pictures keep their metadata; recent custom sizes offered again after the
 * launcher restarts.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunningApp } from "../../launcher/start";
import { readImageMetadata } from "../../pictures/metadata/read";
import { activeTab, generateServices, openGenerating, openShell, SHOTS, startImageApp, tempDataDir, until, waitText, type GeneratingSession } from "./harness";
import { unzip } from "../unzip";

setDefaultTimeout(120_000);

let session: GeneratingSession;
let restarted: RunningApp | undefined;
const engineRoot = tempDataDir("ed-ui-queue-list-engine2-");
let base = () => session.app.url.replace(/\/$/, "");
const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await fetch(base() + path, init)).json() as Promise<T>;
const send = (path: string, body: unknown, method = "POST") => fetch(base() + path, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const request = { prompt: "a quiet harbour", model: "sd-test.safetensors", steps: 2, width: 64, height: 64 };
const tab = () => activeTab(session.page);
const results = () => tab().locator("ed-results");
const panel = () => tab().locator("ed-queue-panel");
const shownPrompts = () => results().locator("section.task .caption").allTextContents();
const listedIds = async () => (await json<{ tasks: { id: string }[] }>("/api/tasks")).tasks.map((t) => t.id);

async function generate(prompt: string, fields: Record<string, string> = {}) {
  await tab().locator("textarea#prompt").fill(prompt);
  for (const [name, value] of Object.entries({ steps: "2", width: "64", height: "64", num_images: "1", ...fields })) await tab().locator(`input#${name}`).fill(value);
  await tab().locator('button[data-action="generate"]').click();
  await results().locator('section.task[data-state="succeeded"]', { hasText: prompt }).waitFor({ timeout: 30_000 });
}


beforeAll(async () => {
  session = await openGenerating("ed-ui-queue-list", { stepMs: 20, startDelayMs: 20 });
}, 60_000);
afterAll(async () => {
  await restarted?.stop();
  await session?.close();
  engineRoot.remove();
}, 30_000);

test("newest first by default; the toggle shows oldest first, is saved, and is kept over a reload", async () => {
  await generate("first picture");
  await generate("second picture");
  expect(await shownPrompts()).toEqual(["second picture", "first picture"]);
  await waitText(results().locator('button[data-action="order"]'), "Newest first");
  await results().locator('button[data-action="order"]').click();
  await until(async () => (await shownPrompts())[0] === "first picture", "oldest first");
  expect(await shownPrompts()).toEqual(["first picture", "second picture"]);
  await until(async () => (await json<{ config: { ui: { newest_first: boolean } } }>("/api/config")).config.ui.newest_first === false, "saved in the settings");
  await session.page.reload();
  await until(async () => (await shownPrompts().catch(() => [])).join("|") === "first picture|second picture", "still oldest first after a reload");
  await results().locator('button[data-action="order"]').click();
  await until(async () => (await shownPrompts())[0] === "second picture", "newest first again");
});

test("Remove a finished task (pictures kept), then Undo in the toast brings it back", async () => {
  const section = results().locator("section.task", { hasText: "first picture" });
  const taskId = (await section.getAttribute("data-task"))!;
  await section.locator('button[data-action="remove"]').click();
  await section.locator('button[data-action="remove-keep"]').click();
  await until(async () => !(await shownPrompts()).includes("first picture"), "gone from the results");
  expect(await listedIds()).not.toContain(taskId);
  const toast = panel().locator('ed-undo-toast [data-role="undo-toast"]');
  await waitText(toast, /Removed 1 task/);
  await session.page.screenshot({ path: join(SHOTS, "undo-toast.png") });
  await toast.locator('button[data-action="undo"]').click();
  await until(async () => (await shownPrompts()).includes("first picture"), "back in the results");
  expect(await listedIds()).toContain(taskId);
  await results().locator("section.task", { hasText: "first picture" }).locator("figure img").first().waitFor();
});

test("Remove and delete pictures: asked, the removal says so; Undo keeps them", async () => {
  const section = results().locator("section.task", { hasText: "second picture" });
  const taskId = (await section.getAttribute("data-task"))!;
  await section.locator('button[data-action="remove"]').click();
  await section.locator('button[data-action="remove-delete"]').click();
  await until(async () => !(await shownPrompts()).includes("second picture"), "gone from the results");
  const removed = await json<{ removed?: { deletePictures: boolean }; images: { url: string }[] }>(`/api/tasks/${taskId}`);
  expect(removed.removed?.deletePictures).toBe(true);
  await panel().locator('ed-undo-toast button[data-action="undo"]').click();
  await until(async () => (await shownPrompts()).includes("second picture"), "back in the results");
  expect((await json<{ removed?: unknown }>(`/api/tasks/${taskId}`)).removed).toBeUndefined();
  expect((await fetch(base() + removed.images[0]!.url)).status).toBe(200);
});

test("Remove a waiting task in the queue panel; Undo puts it back in its place", async () => {
  await send("/api/queue", { paused: true }, "PATCH");
  const ids: string[] = [];
  for (const seed of [1, 2, 3]) ids.push(((await (await send("/api/tasks", { ...request, seed })).json()) as { id: string }).id);
  await panel().locator(`li[data-id="${ids[1]}"]`).waitFor();
  await panel().locator(`li[data-id="${ids[1]}"] button[data-action="remove"]`).click();
  await until(async () => (await panel().locator(`li[data-id="${ids[1]}"]`).count()) === 0, "gone from the queue");
  expect((await json<{ order: string[] }>("/api/queue", { method: "PATCH", headers: { "content-type": "application/json" }, body: "{}" })).order).toEqual([ids[0]!, ids[2]!]);
  await panel().locator('ed-undo-toast button[data-action="undo"]').click();
  await panel().locator(`li[data-id="${ids[1]}"][data-state="queued"]`).waitFor();
  expect((await json<{ order: string[] }>("/api/queue", { method: "PATCH", headers: { "content-type": "application/json" }, body: "{}" })).order).toEqual(ids);
  // Tidy up: cancel them through the API, then Clear finished removes every finished task from the panel.
  for (const id of ids) await send(`/api/tasks/${id}/cancel`, {});
  await send("/api/queue", { paused: false }, "PATCH");
  await panel().locator('button[data-action="clear-finished"]').click();
  await until(async () => (await panel().locator("li").count()) === 0, "the panel empty");
  await waitText(panel().locator('ed-undo-toast [data-role="undo-toast"]'), /Removed \d+ tasks/);
  await panel().locator('ed-undo-toast button[data-action="undo"]').click();
  await until(async () => (await panel().locator("li").count()) > 0, "finished tasks back");
});

test("Download all (zip): the pictures of a task, each with its settings inside", async () => {
  await generate("three foxes", { num_images: "3" });
  const section = results().locator("section.task", { hasText: "three foxes" });
  const [download] = await Promise.all([session.page.waitForEvent("download"), section.locator('a[data-action="zip"]').click()]);
  const entries = await unzip(new Uint8Array(readFileSync((await download.path())!)));
  const seeds = (await section.locator("figure .seed").allTextContents()).map((s) => Number(s.replace(/\D/g, "")));
  expect([...entries.keys()]).toEqual(seeds.map((seed, i) => `${i + 1}-seed${seed}.png`));
  for (const [i, bytes] of [...entries.values()].entries()) {
    expect(readImageMetadata(new Uint8Array(bytes)).settings).toMatchObject({ prompt: "three foxes", seed: seeds[i], width: 64, height: 64 });
  }
  // A task with one picture has no zip button.
  expect(await results().locator("section.task", { hasText: "second picture" }).locator('a[data-action="zip"]').count()).toBe(0);
});

test("recent sizes: a custom size used is offered again after the launcher restarts", async () => {
  await generate("a wide one", { width: "192", height: "128" });
  const recent = tab().locator('ed-size-field [data-role="recent-sizes"]');
  await recent.locator('button[data-recent="192x128"]').waitFor();
  // 64×64 (used before) is offered too; presets are not repeated there.
  expect(await recent.locator("button").allTextContents()).toEqual(["192×128", "64×64"]);
  await session.app.stop();
  restarted = await startImageApp(session.dataDir, generateServices(engineRoot.dir));
  base = () => restarted!.url.replace(/\/$/, "");
  await openShell(session.page, restarted.url);
  await tab().locator("input#width").fill("512");
  await tab().locator("input#width").dispatchEvent("change");
  const after = tab().locator('ed-size-field [data-role="recent-sizes"]');
  await after.locator('button[data-recent="192x128"]').waitFor();
  await after.locator('button[data-recent="192x128"]').click();
  await until(async () => (await tab().locator("input#width").inputValue()) === "192" && (await tab().locator("input#height").inputValue()) === "128", "the recent size chosen");
  await session.page.screenshot({ path: join(SHOTS, "recent-sizes.png") });
});
