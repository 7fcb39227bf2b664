/**
 * UI plugins in real Chromium against the real app with the plugins service:
 * plugins from the data dir's plugins/ folder load at start; a sample one
 * adds a tab app and a Plugins menu item; one that throws on load and one
 * whose menu action throws later (or whose own timer throws) are disabled, what they added is removed,
 * a message says so, Settings lists the error, installs from a file and a URL,
 * and the shell keeps working.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp, type RunningApp } from "../../launcher/start";
import { pluginServiceWith } from "../../plugins/service";
import { assets } from "../../ui/dist/manifest";
import { launchBrowser, openShell, randomPort, tempDataDir, until, waitText } from "../ui/harness";

setDefaultTimeout(60_000);

const HELLO = `export default function (ed) {
  if (ed.version !== 1) throw new Error("needs plugin API 1");
  customElements.define("hello-plugin-app", class extends HTMLElement { connectedCallback() { this.textContent = "Hello from a plugin"; } });
  ed.registerTabApp({ id: "hello.app", title: "Hello", icon: "puzzle", singleton: true, tag: "hello-plugin-app" });
  ed.registerPluginMenuItem({ id: "hello.open", label: "Open Hello", app: "hello.app" });
}
`;
const BROKEN = `export default function (ed) {
  ed.registerPluginMenuItem({ id: "broken.item", label: "Broken item", action() {} });
  throw new Error("boom on load");
}
`;
const LATE = `export default function (ed) {
  ed.registerPluginMenuItem({ id: "late.item", label: "Explode later", action() { throw new RangeError("late boom"); } });
}
`;

const TIMER = `export default function (ed) {
  ed.registerPluginMenuItem({ id: "timer.item", label: "Timer item", action() {} });
  setTimeout(() => { throw new TypeError("timer boom"); }, 300);
}
`;

const data = tempDataDir("ed-ui-plugins-");
let app: RunningApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(join(data.dir, "plugins"), { recursive: true });
  writeFileSync(join(data.dir, "plugins", "hello.plugin.js"), HELLO);
  writeFileSync(join(data.dir, "plugins", "broken.plugin.js"), BROKEN);
  writeFileSync(join(data.dir, "plugins", "late.plugin.js"), LATE);
  writeFileSync(join(data.dir, "plugins", "timer.plugin.js"), TIMER);
  app = await startApp({ run: { server: false, noOpen: true, dataDir: data.dir, port: randomPort() }, env: { ...readEnv({}), edHome: undefined }, services: [pluginServiceWith({ allowAddresses: ["127.0.0.1"] })], ui: assets, log: silentLogger });
  browser = await launchBrowser();
  page = await browser.newPage();
  await openShell(page, app.url);
  await page.waitForSelector("body[data-plugins-loaded='1']", { state: "attached" });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop("test");
  data.remove();
});

async function pluginMenuLabels(): Promise<string[]> {
  // The menu may still be open from the previous step (Escape closes the submenu first).
  if (!(await page.locator('ed-main-menu [data-command="plugins"]').isVisible())) await page.click("ed-main-menu .trigger");
  await page.click('ed-main-menu [data-command="plugins"]');
  await page.waitForSelector("ed-main-menu .sub");
  return page.locator("ed-main-menu .sub [role='menuitem']").allTextContents().then((t) => t.map((s) => s.trim()));
}

const pluginState = async () => ((await (await fetch(new URL("/api/plugins", app.url))).json()) as any).plugins as any[];

describe("UI plugins", () => {
  test("a sample plugin adds a Plugins menu item that opens its tab app", async () => {
    const labels = await pluginMenuLabels();
    expect(labels).toContain("Open Hello");
    await page.click('ed-main-menu [data-command="plugin:hello.open"]');
    await waitText(page.locator("ed-shell section.pane:not([hidden])"), "Hello from a plugin");
  });

  test("a plugin that throws on load is disabled: its menu item is gone, a message says why, the server records it", async () => {
    await waitText(page.locator('ed-plugin-notices [data-plugin="broken.plugin.js"]'), /broken\.plugin\.js.*disabled.*Error: boom on load/);
    await page.keyboard.press("Escape");
    const labels = await pluginMenuLabels();
    expect(labels).not.toContain("Broken item");
    await page.keyboard.press("Escape");
    await until(async () => (await pluginState()).find((p) => p.file === "broken.plugin.js")?.enabled === false, "broken disabled on the server");
    expect((await pluginState()).find((p) => p.file === "broken.plugin.js").error).toBe("Error: boom on load");
  });

  test("a plugin whose action throws later is disabled the same way; the others keep working", async () => {
    const labels = await pluginMenuLabels();
    expect(labels).toContain("Explode later");
    await page.click('ed-main-menu [data-command="plugin:late.item"]');
    await waitText(page.locator('ed-plugin-notices [data-plugin="late.plugin.js"]'), /RangeError: late boom/);
    const after = await pluginMenuLabels();
    expect(after).not.toContain("Explode later");
    expect(after).toContain("Open Hello");
    await page.keyboard.press("Escape");
    await until(async () => (await pluginState()).find((p) => p.file === "late.plugin.js")?.error === "RangeError: late boom", "late error recorded");
    expect((await pluginState()).find((p) => p.file === "hello.plugin.js")).toMatchObject({ enabled: true });
  });

  test("an uncaught error from a plugin's own timer is traced to it by its script URL: disabled the same way", async () => {
    await waitText(page.locator('ed-plugin-notices [data-plugin="timer.plugin.js"]'), /TypeError: timer boom/);
    const labels = await pluginMenuLabels();
    expect(labels).not.toContain("Timer item");
    expect(labels).toContain("Open Hello");
    await page.keyboard.press("Escape");
    await until(async () => (await pluginState()).find((p) => p.file === "timer.plugin.js")?.enabled === false, "timer disabled on the server");
  });

  test("Settings lists the plugins with their errors; the shell still opens tabs", async () => {
    if (!(await page.locator('ed-main-menu [data-command="app:settings"]').isVisible())) await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [data-command="app:settings"]');
    const card = page.locator("ed-plugins-card");
    await waitText(card.locator('li[data-plugin="broken.plugin.js"] .error'), "Disabled after an error: Error: boom on load");
    expect(await card.locator('li[data-plugin="hello.plugin.js"] input[type=checkbox]').isChecked()).toBe(true);
    expect(await card.locator('li[data-plugin="broken.plugin.js"] input[type=checkbox]').isChecked()).toBe(false);
    // Enabling it again clears the error (it will load on the next start).
    await card.locator('li[data-plugin="broken.plugin.js"] input[type=checkbox]').check();
    await until(async () => (await pluginState()).find((p) => p.file === "broken.plugin.js")?.enabled === true, "broken enabled again");
    // Install plugin from file: it is listed (and loads on the next start).
    await card.locator('input[data-action="install-file"]').setInputFiles({ name: "extra.plugin.js", mimeType: "text/javascript", buffer: Buffer.from("export default function () {}\n") });
    await card.locator('li[data-plugin="extra.plugin.js"]').waitFor();
    expect((await pluginState()).map((p) => p.file)).toContain("extra.plugin.js");
    // Install plugin from URL: fetched by the server from a local site (127.0.0.1 let through by the test seam
    // users of the fetch guard have; any other private address is refused); a missing file is said in the card.
    const site = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (req) => (new URL(req.url).pathname === "/from-web.plugin.js" ? new Response("export default function () {}\n", { headers: { "content-type": "text/javascript" } }) : new Response("no", { status: 404 })) });
    try {
      await card.locator('input[type="url"]').fill(`http://127.0.0.1:${site.port}/from-web.plugin.js`);
      await card.locator('button[data-action="install-url"]').click();
      await card.locator('li[data-plugin="from-web.plugin.js"]').waitFor();
      expect(await card.locator('input[type="url"]').inputValue()).toBe("");
      await card.locator('input[type="url"]').fill(`http://127.0.0.1:${site.port}/missing.plugin.js`);
      await card.locator('button[data-action="install-url"]').click();
      await waitText(card.locator(".problem"), /404/);
      expect((await pluginState()).map((p) => p.file)).not.toContain("missing.plugin.js");
      await card.locator('input[type="url"]').fill(`http://127.0.0.2:${site.port}/from-web.plugin.js`);
      await card.locator('button[data-action="install-url"]').click();
      await waitText(card.locator(".problem"), /127\.0\.0\.2/);
    } finally {
      site.stop(true);
    }
    const before = await page.locator("ed-tab-strip [role=tab]").count();
    await page.click("ed-tab-strip button.new"); // "+" offers the tab apps
    await page.click('ed-tab-strip .picker [data-app="image"]');
    await until(async () => (await page.locator("ed-tab-strip [role=tab]").count()) === before + 1, "a new tab");
  });
});
