/**
 * The example plugin from the docs (plugins/examples/hello.plugin.js) in real
 * Chromium with the engine on the stand-in: its Image tab field and its
 * beforeQueue hook change the queued task, its picture button appears on
 * each picture and works, its tab app hears task events; another plugin's
 * throwing beforeQueue hook disables that plugin without stopping the task.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningApp } from "../../launcher/start";
import { pluginService } from "../../plugins/service";
import { activeTab, fieldValue, generateServices, launchBrowser, openShell, seedModels, startImageApp, tempDataDir, until, waitText } from "../ui-image/harness";

setDefaultTimeout(90_000);
const data = tempDataDir("ed-ui-plugin-hooks-");
const engineRoot = tempDataDir("ed-ui-plugin-hooks-engine-");
let app: RunningApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  seedModels(data.dir);
  mkdirSync(join(data.dir, "plugins"), { recursive: true });
  copyFileSync(join(import.meta.dir, "../../plugins/examples/hello.plugin.js"), join(data.dir, "plugins", "hello.plugin.js"));
  // A second plugin whose beforeQueue hook throws: the task must still be queued, with the other plugin's changes.
  writeFileSync(join(data.dir, "plugins", "zz-bad-hook.plugin.js"), 'export default function (ed) { ed.beforeQueue(() => { throw new Error("hook boom"); }); }\n');
  [browser, app] = await Promise.all([launchBrowser(), startImageApp(data.dir, [...generateServices(engineRoot.dir, { stepMs: 5 }), pluginService])]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openShell(page, app.url);
  await page.waitForSelector("body[data-plugins-loaded='1']", { state: "attached" });
  await until(async () => (await fieldValue(page, "model").catch(() => "")) !== "", "a model selected");
});
afterAll(async () => {
  await browser?.close();
  await app?.stop("test");
  data.remove();
  engineRoot.remove();
});

describe("the example plugin in the Image tab", () => {
  test("its field and beforeQueue hook change the queued task; its picture button and tab app work", async () => {
    const tab = activeTab(page);
    await tab.locator('[data-plugin-field="hello.watercolor"] input').check();
    await tab.locator("textarea#prompt").fill("a cat");
    await tab.locator("input#steps").fill("2");
    await tab.locator("input#width").fill("64");
    await tab.locator("input#height").fill("64");
    await tab.locator('button[data-action="generate"]').click();
    const picture = tab.locator('section.task[data-state="succeeded"] figure').first();
    await picture.waitFor({ timeout: 30_000 });
    const list = (await (await fetch(new URL("/api/tasks", app.url))).json()) as any;
    expect(list.tasks[0].request).toMatchObject({ prompt: "a cat, watercolor", negative_prompt: "blurry, low quality" });
    await waitText(page.locator('ed-plugin-notices [data-plugin="zz-bad-hook.plugin.js"]'), /Error: hook boom/);
    const seed = list.tasks[0].images[0].seed;
    await picture.locator('button[data-plugin-action="hello.remember"]').click();
    await waitText(page.locator("ed-shell section.pane:not([hidden]) [data-hello-notes]"), `Finished tasks: 1. Remembered seeds: ${seed}.`);
  });
});
