/**
 * The shell in real Chromium against the real app: tabs, menu, plugins,
 * status bar over SSE, restore after a restart, incognito, phone layout.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { RunningApp } from "../../launcher/start";
import { launchBrowser, openShell, startUiApp, tempDataDir, until, waitText } from "./harness";

// A slow step must fail its own test, not time out and take the shared browser down with it.
setDefaultTimeout(30_000);

let browser: Browser;
let app: RunningApp;
let page: Page;
const data = tempDataDir();
const pageErrors: string[] = [];

const tabTitles = () => page.locator("ed-tab-strip [role=tab] .title").allTextContents();
const activeTitle = () => page.locator('ed-tab-strip [role=tab][aria-selected="true"] .title').textContent();
const activePrompt = () => page.locator("ed-shell section.pane:not([hidden]) ed-image-app textarea[name=prompt]");
const tab = (title: string) => page.locator("ed-tab-strip [role=tab]", { hasText: title });
interface Saved {
  tabs: Array<{ id: string; app: string; title: string; state?: { prompt?: string } }>;
  active: string;
}
const savedState = () => JSON.parse(readFileSync(app.paths.uiState, "utf8")) as Saved;
const savedActiveTitle = () => (existsSync(app.paths.uiState) ? savedState().tabs.find((t) => t.id === savedState().active)?.title : undefined);

async function menu(command: string) {
  await page.click("ed-main-menu .trigger");
  await page.click(`ed-main-menu [data-command="${command}"]`);
}

beforeAll(async () => {
  [browser, app] = await Promise.all([launchBrowser(), startUiApp(data.dir)]);
  page = await browser.newPage({ viewport: { width: 1280, height: 700 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await openShell(page, app.url);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  data.remove();
});

describe("shell", () => {
  test("renders the strip, one Image tab, the menu button and the status bar", async () => {
    expect(await tabTitles()).toEqual(["Image 1"]);
    expect(await page.locator("ed-tab-strip img.logo").isVisible()).toBe(true);
    expect(await page.locator("ed-main-menu .trigger").isVisible()).toBe(true);
    expect(await page.locator("ed-status-bar").isVisible()).toBe(true);
    await waitText(page.locator("ed-status-bar .work .text"), "Ready");
    expect(await page.title()).toBe("Easy Diffusion");
    expect(pageErrors).toEqual([]);
  });

  test("an app's code loads when its first tab opens; a message waits for it; a load that fails is said in the pane", async () => {
    const lazyTags = ["ed-settings-app", "ed-gallery-app", "ed-models-app", "ed-downloads-app", "ed-engine-app", "ed-app-info"];
    expect(await page.evaluate((tags) => tags.filter((t) => customElements.get(t)), lazyTags)).toEqual([]);
    await page.evaluate(() => {
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const w = window as unknown as { releaseLate: () => void; unregisterLate: Array<() => void> };
      w.releaseLate = release;
      const define = () =>
        customElements.define(
          "test-late-app",
          class extends HTMLElement {
            receive(message: unknown) {
              this.textContent = `got ${String(message)}`;
            }
          },
        );
      w.unregisterLate = [
        window.easyDiffusion.registerTabApp({ id: "test.late", title: "Late", icon: "image", singleton: true, tag: "test-late-app", load: () => gate.then(define) }),
        window.easyDiffusion.registerTabApp({ id: "test.broken", title: "Broken", icon: "image", singleton: true, tag: "test-broken-app", load: () => Promise.reject(new Error("no such chunk")) }),
      ];
      const main = document.querySelector("ed-shell")!.shadowRoot!.querySelector("main")!;
      main.dispatchEvent(new CustomEvent("ed-open-app", { bubbles: true, composed: true, detail: { app: "test.late", message: "hello" } }));
    });
    const pane = page.locator("ed-shell section.pane:not([hidden])");
    expect(await activeTitle()).toBe("Late");
    expect(await pane.locator("test-late-app").count()).toBe(0);
    await page.evaluate(() => (window as unknown as { releaseLate: () => void }).releaseLate());
    await waitText(pane.locator("test-late-app"), "got hello");
    await menu("app:settings");
    await pane.locator("ed-settings-app").waitFor();
    expect(await page.evaluate(() => !!customElements.get("ed-settings-app"))).toBe(true);
    await page.evaluate(() => window.easyDiffusion.openApp("test.broken"));
    await waitText(pane.locator("[role=alert]"), "This tab could not load: no such chunk");
    for (const title of ["Broken", "Late", "Settings"]) await tab(title).locator("button.close").click();
    await page.evaluate(() => (window as unknown as { unregisterLate: Array<() => void> }).unregisterLate.forEach((off) => off()));
    expect(await tabTitles()).toEqual(["Image 1"]);
  });

  test("tabs open, switch and close; each keeps what was typed", async () => {
    await activePrompt().fill("a lighthouse at dusk");
    await page.click("ed-tab-strip button.new"); // "+" offers the tab apps
    await page.click('ed-tab-strip .picker [data-app="image"]');
    expect(await tabTitles()).toEqual(["Image 1", "Image 2"]);
    expect(await activeTitle()).toBe("Image 2");
    expect(await activePrompt().inputValue()).toBe("");
    await activePrompt().fill("a red fox in snow");

    await tab("Image 1").click();
    expect(await activePrompt().inputValue()).toBe("a lighthouse at dusk");
    await tab("Image 2").click();
    expect(await activePrompt().inputValue()).toBe("a red fox in snow");

    await page.click("ed-tab-strip button.new"); // "+" offers the tab apps
    await page.click('ed-tab-strip .picker [data-app="image"]');
    expect(await activeTitle()).toBe("Image 3");
    await tab("Image 3").locator("button.close").click();
    expect(await tabTitles()).toEqual(["Image 1", "Image 2"]);
    expect(await activeTitle()).toBe("Image 2");
    // Only the active pane shows.
    expect(await page.locator("ed-shell section.pane:not([hidden])").count()).toBe(1);
  });

  test("singletons open once; opening again focuses them", async () => {
    await menu("app:settings");
    expect(await activeTitle()).toBe("Settings");
    await tab("Image 1").click();
    await menu("app:settings");
    expect(await activeTitle()).toBe("Settings");
    await menu("app:downloads");
    await menu("app:downloads");
    expect((await tabTitles()).filter((t) => t === "Settings" || t === "Downloads")).toEqual(["Settings", "Downloads"]);
    await until(async () => (await page.locator("ed-shell section.pane:not([hidden])").getAttribute("data-app")) === "downloads", "the Downloads pane to show");
    await tab("Downloads").locator("button.close").click();
  });

  test("tabs reorder by dragging and with Ctrl+Shift+arrows, keeping their state", async () => {
    await tab("Settings").dragTo(tab("Image 1"), { targetPosition: { x: 5, y: 10 } });
    await until(async () => (await tabTitles())[0] === "Settings", "Settings dragged first");
    expect(await tabTitles()).toEqual(["Settings", "Image 1", "Image 2"]);
    await tab("Settings").click();
    await page.keyboard.press("Control+Shift+ArrowRight");
    await page.keyboard.press("Control+Shift+ArrowRight");
    await until(async () => (await tabTitles())[2] === "Settings", "Settings moved back last");
    expect(await tabTitles()).toEqual(["Image 1", "Image 2", "Settings"]);
    await tab("Image 1").click();
    expect(await activePrompt().inputValue()).toBe("a lighthouse at dusk");
  });

  test("many tabs scroll the strip and the active one stays in view", async () => {
    for (let i = 0; i < 14; i++) {
      await page.click("ed-tab-strip button.new");
      await page.click('ed-tab-strip .picker [data-app="image"]');
    }
    const strip = await page.locator("ed-tab-strip [role=tablist]").boundingBox();
    const active = await page.locator('ed-tab-strip [role=tab][aria-selected="true"]').boundingBox();
    expect(active!.x).toBeGreaterThanOrEqual(strip!.x - 1);
    expect(active!.x + active!.width).toBeLessThanOrEqual(strip!.x + strip!.width + 1);
    expect(await page.locator("ed-tab-strip button.new").isVisible()).toBe(true);
    while ((await tabTitles()).length > 3) await page.locator('ed-tab-strip [role=tab][aria-selected="true"] button.close').click();
    expect(await tabTitles()).toEqual(["Image 1", "Image 2", "Settings"]);
  });

  test("the main menu lists every entry and works with the keyboard", async () => {
    await page.click("ed-main-menu .trigger");
    const labels = await page.locator("ed-main-menu .main [role=menuitem] .label").allTextContents();
    expect(labels).toEqual(["New tab", "New incognito tab", "New video tab", "Model Browser", "Gallery", "Plugins", "Downloads", "Settings", "Theme: Dark", "What's new?", "Help & Community"]);
    const focused = () => page.evaluate(() => document.querySelector("ed-shell")!.shadowRoot!.querySelector("ed-main-menu")!.shadowRoot!.activeElement?.textContent?.trim());
    expect(await focused()).toBe("New tab");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe("New video tab");
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe("Model Browser");
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowUp");
    expect(await focused()).toBe("Help & Community");
    await page.keyboard.press("Escape");
    expect(await page.locator("ed-main-menu [role=menu]").count()).toBe(0);

    // Keyboard into the Plugins submenu: nothing installed yet.
    await page.click("ed-main-menu .trigger");
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe("Plugins");
    await page.keyboard.press("ArrowRight");
    await waitText(page.locator("ed-main-menu .sub"), "No plugins installed");
    await page.keyboard.press("ArrowLeft");
    expect(await page.locator("ed-main-menu .sub").count()).toBe(0);
    await page.keyboard.press("Enter");
    await waitText(page.locator("ed-main-menu .sub"), "No plugins installed");

    // A click outside closes it.
    await page.mouse.click(400, 400);
    expect(await page.locator("ed-main-menu [role=menu]").count()).toBe(0);

    // Enter on an entry runs it.
    await page.click("ed-main-menu .trigger");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(await activeTitle()).toBe("Model Browser");
    await tab("Model Browser").locator("button.close").click();
  });

  test("plugins add tab apps and Plugins submenu entries", async () => {
    await page.evaluate(() => {
      customElements.define(
        "test-gallery-app",
        class extends HTMLElement {
          connectedCallback() {
            this.textContent = "Gallery plugin body";
          }
        },
      );
      window.easyDiffusion.registerTabApp({ id: "test.gallery", title: "Gallery", icon: "image", singleton: true, tag: "test-gallery-app" });
      window.easyDiffusion.registerPluginMenuItem({ id: "test.gallery", label: "Gallery", app: "test.gallery" });
    });
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [data-command="plugins"]');
    await page.click('ed-main-menu [data-command="plugin:test.gallery"]');
    expect(await activeTitle()).toBe("Gallery");
    await waitText(page.locator("ed-shell section.pane:not([hidden])"), "Gallery plugin body");
    await tab("Gallery").locator("button.close").click();
  });

  test("the status bar shows queue and machine figures that came over SSE", async () => {
    const work = page.locator("ed-status-bar .work");
    app.ctx.bus.publish("queue.status", { running: 4, total: 10, paused: false });
    await waitText(work, "Running: 4 / 10");
    expect(await work.getAttribute("data-tone")).toBe("busy");
    app.ctx.bus.publish("queue.status", { running: 0, total: 0, paused: false });
    await waitText(work, "Ready");
    expect(await work.getAttribute("data-tone")).toBe("ready");

    // The app's own sampler publishes real figures every 2 s too: keep publishing until ours shows.
    const load = page.locator("ed-status-bar .load .text");
    const publishUntil = async (stats: Parameters<typeof app.ctx.bus.publish<"system.stats">>[1], want: string) => {
      let last = "";
      await until(async () => {
        app.ctx.bus.publish("system.stats", stats);
        last = (await load.textContent()) ?? "";
        return last === want;
      }, `status bar to show ${want} (last: ${last})`);
    };
    const GiB = 1024 ** 3;
    await publishUntil({ ramUsed: 27 * GiB, ramTotal: 64 * GiB, vramUsed: 8.4 * GiB, vramTotal: 12 * GiB }, "RAM: 27 GB | VRAM: 8.4 GB used");
    await publishUntil({ ramUsed: 3.26 * GiB, ramTotal: 8 * GiB, vramUsed: null, vramTotal: null }, "RAM: 3.3 GB used | VRAM: –");
  });

  test("an incognito tab is marked and never saved", async () => {
    await menu("new-incognito-tab");
    const incognito = page.locator("ed-tab-strip [role=tab].incognito");
    expect(await incognito.count()).toBe(1);
    expect(await page.locator("ed-shell section.pane:not([hidden]) ed-image-app .incognito").isVisible()).toBe(true);
    await activePrompt().fill("secret prompt");
    // Wait for a save that includes a later change, then check the incognito tab is not in it.
    await tab("Image 1").click();
    await until(() => savedActiveTitle() === "Image 1" && savedState().tabs.length === 3, "ui-state saved");
    const text = readFileSync(app.paths.uiState, "utf8");
    expect(text).not.toContain("secret prompt");
    expect(savedState().tabs.map((t) => t.title)).toEqual(["Image 1", "Image 2", "Settings"]);
  });

  test("tabs, the active tab and typed text come back after a restart; the status bar shows the outage", async () => {
    await tab("Image 2").click();
    await until(() => savedActiveTitle() === "Image 2", "active tab saved");
    expect(savedState().tabs.find((t) => t.title === "Image 2")?.state?.prompt).toBe("a red fox in snow");

    const port = app.port;
    await app.stop();
    await waitText(page.locator("ed-status-bar .work"), /Disconnected/);
    app = await startUiApp(data.dir, port);
    expect(app.port).toBe(port);

    const painted = page.waitForRequest((r) => r.url().endsWith("/api/window/painted") && r.method() === "POST");
    await openShell(page, app.url);
    // The page reports its first paint once (for the startup benchmark).
    expect(JSON.parse((await painted).postData() ?? "{}").t).toBeGreaterThan(0);
    await waitText(page.locator("ed-status-bar .work"), "Ready");
    await until(async () => (await tabTitles()).length === 3, "tabs restored");
    expect(await tabTitles()).toEqual(["Image 1", "Image 2", "Settings"]);
    expect(await activeTitle()).toBe("Image 2");
    expect(await activePrompt().inputValue()).toBe("a red fox in snow");
    await tab("Image 1").click();
    expect(await activePrompt().inputValue()).toBe("a lighthouse at dusk");
    expect(await page.locator("ed-tab-strip [role=tab].incognito").count()).toBe(0);
  });

  test("a phone-sized screen shows one tab, +, the tab count and the menu", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 700 }, isMobile: true, hasTouch: true });
    try {
      await openShell(phone, app.url);
      const visibleTabs = await phone.locator("ed-tab-strip [role=tab]").evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetWidth > 0).length);
      expect(visibleTabs).toBe(1);
      expect(await phone.locator("ed-tab-strip button.new").isVisible()).toBe(true);
      expect(await phone.locator("ed-main-menu .trigger").isVisible()).toBe(true);
      const count = phone.locator("ed-tab-strip button.count");
      expect(await count.isVisible()).toBe(true);
      await waitText(count, "3");
      expect(await phone.locator("ed-status-bar").isVisible()).toBe(true);

      await count.tap();
      const rows = phone.locator("ed-tab-list [role=option]");
      await waitText(rows.nth(2), "Settings");
      await rows.nth(2).tap();
      expect(await phone.locator("ed-tab-list").count()).toBe(0);
      await waitText(phone.locator('ed-tab-strip [role=tab][aria-selected="true"] .title'), "Settings");

      await phone.locator("ed-main-menu .trigger").tap();
      await phone.locator('ed-main-menu [data-command="plugins"]').tap();
      await waitText(phone.locator("ed-main-menu .sub"), /No plugins installed/);
    } finally {
      await phone.close();
    }
  });

  test("a saved tab of a plugin that loads late waits for it and is not dropped", async () => {
    const saved = savedState();
    const later = { id: "tlater1", app: "test.later", title: "Later", state: { n: 1 } };
    const put = await fetch(`${app.url}api/ui-state`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ tabs: [...saved.tabs, later], active: saved.active }) });
    expect(put.status).toBe(200);
    await openShell(page, app.url);
    expect(await tabTitles()).toEqual(["Image 1", "Image 2", "Settings"]);
    // A change saves the tabs again: the unknown one stays in the file.
    await page.click("ed-tab-strip button.new"); // "+" offers the tab apps
    await page.click('ed-tab-strip .picker [data-app="image"]');
    await until(() => savedState().tabs.length === 5, "tabs saved with the new one");
    expect(savedState().tabs.map((t) => t.app)).toContain("test.later");

    await page.evaluate(() => {
      customElements.define("test-later-app", class extends HTMLElement {});
      window.easyDiffusion.registerTabApp({ id: "test.later", title: "Later", icon: "puzzle", singleton: false, tag: "test-later-app" });
    });
    await until(async () => (await tabTitles()).includes("Later"), "the late tab to appear");
  });
});
