/**
 * Getting around, in real Chromium at 1280×800 on the stand-in engine: "+"
 * offers the tab apps (Image, Gallery, Model Browser, Settings, Engine,
 * Downloads and a plugin's app), and a single-instance app chosen again (from
 * "+" or the ⋮ menu) is focused, not opened twice; the logo opens About (the
 * version, the engine, links to /api/docs and the README); from the keyboard
 * the queue panel is one step away (a skip link, Alt+Q); an installed model's
 * row opens its details with "Use in a new Image tab"; Upscale without an
 * upscaler model says what to get.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Page } from "playwright-core";
import { activeTab, fieldValue, openGenerating, until, waitText, type GeneratingSession } from "../ui-image/harness";

setDefaultTimeout(60_000);

let session: GeneratingSession;
let page: Page;
const tabApps = () => page.locator("ed-shell section.pane").evaluateAll((panes) => panes.map((p) => p.getAttribute("data-app")));
const activeApp = () => page.locator("ed-shell section.pane:not([hidden])").getAttribute("data-app");
/** The element that has the keyboard focus, through shadow roots. */
const focused = () =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? `${el.tagName.toLowerCase()}${el.getAttribute("data-action") ? `[${el.getAttribute("data-action")}]` : ""}${el.className ? `.${el.className}` : ""}` : "";
  });

beforeAll(async () => {
  session = await openGenerating("ed-ui-around", { stepMs: 20, startDelayMs: 10 });
  page = session.page;
  // A plugin's tab app.
  await page.evaluate(() => {
    customElements.define("test-notes-app", class extends HTMLElement {});
    (window as unknown as { easyDiffusion: { registerTabApp(d: object): void } }).easyDiffusion.registerTabApp({ id: "test.notes", title: "Notes", icon: "puzzle", singleton: true, tag: "test-notes-app" });
  });
}, 60_000);

afterAll(() => session?.close(), 30_000);

describe("getting around", () => {
  test('"+" offers the tab apps; a single-instance app opens once, from "+" or the menu', async () => {
    await page.click("ed-tab-strip button.new");
    const offered = await page.locator("ed-tab-strip .picker [role=menuitem]").evaluateAll((items) => items.map((i) => i.getAttribute("data-app")));
    for (const app of ["image", "gallery", "model-browser", "settings", "engine", "downloads", "test.notes"]) expect(offered).toContain(app);
    for (const page_ of ["about", "whats-new", "help"]) expect(offered).not.toContain(page_);
    expect(offered[0]).toBe("image");
    await page.click('ed-tab-strip .picker [data-app="model-browser"]');
    expect(await activeApp()).toBe("model-browser");
    await page.click("ed-tab-strip button.new");
    await page.click('ed-tab-strip .picker [data-app="image"]');
    expect(await activeApp()).toBe("image");
    // Again, from "+" and from the ⋮ menu: focused, not a second tab.
    await page.click("ed-tab-strip button.new");
    await page.click('ed-tab-strip .picker [data-app="model-browser"]');
    expect(await activeApp()).toBe("model-browser");
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [role=menuitem][data-command="app:model-browser"]');
    expect((await tabApps()).filter((a) => a === "model-browser").length).toBe(1);
    // Escape closes the picker without opening anything.
    const before = (await tabApps()).length;
    await page.click("ed-tab-strip button.new");
    await page.keyboard.press("Escape");
    await until(async () => (await page.locator("ed-tab-strip .picker").count()) === 0, "the picker closed");
    expect((await tabApps()).length).toBe(before);
  });

  test("the logo opens About: version, engine, the API page and the README", async () => {
    await page.click('ed-tab-strip [data-action="about"]');
    expect(await activeApp()).toBe("about");
    const about = page.locator("ed-shell section.pane:not([hidden]) ed-app-info");
    await waitText(about.locator('[data-role="version"]'), /^You are running Easy Diffusion \S+\.$/);
    await waitText(about.locator('[data-role="engine"]'), /^Engine: stable-diffusion\.cpp /);
    expect(await about.locator('a[href="/api/docs"]').count()).toBe(1);
    expect(await about.locator('a[href*="readme" i]').count()).toBe(1);
    await page.click('ed-tab-strip [data-action="about"]');
    expect((await tabApps()).filter((a) => a === "about").length).toBe(1);
  });

  test("keyboard: the queue panel is one step away (skip link, Alt+Q)", async () => {
    await page.locator("ed-tab-strip [role=tab]").first().click();
    expect(await activeApp()).toBe("image");
    await page.locator("ed-tab-strip [role=tab]").first().focus();
    // A few Tabs from the tab strip reach the skip link (the image tab's first stop).
    for (let i = 0; i < 12 && !(await focused()).includes("[skip-to-queue]"); i++) await page.keyboard.press("Tab");
    expect(await focused()).toContain("[skip-to-queue]");
    await page.keyboard.press("Enter");
    expect(await focused()).toStartWith("aside");
    await page.keyboard.press("Tab");
    expect(await focused()).toContain("[pause]");
    // Alt+Q from the prompt.
    await activeTab(page).locator("textarea#prompt").focus();
    await page.keyboard.press("Alt+q");
    expect(await focused()).toStartWith("aside");
  });

  test("an installed model's details, and Use in a new Image tab", async () => {
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [role=menuitem][data-command="app:model-browser"]');
    const view = page.locator("ed-shell section.pane:not([hidden]) ed-models-app");
    await view.locator('nav [data-view="installed"]').click();
    const row = view.locator('[data-model="stable-diffusion/other.safetensors"]');
    await row.locator('[data-action="details"]').click();
    const details = row.locator("[data-details]");
    const text = (await details.innerText()).replace(/\s+/g, " ");
    for (const fact of ["File", "other.safetensors", "Family", "sha256", "Civitai", "Model sets"]) expect(text).toContain(fact);
    const tabs = (await tabApps()).length;
    await details.locator('[data-action="use-in-new-tab"]').click();
    await until(async () => (await tabApps()).length === tabs + 1 && (await activeApp()) === "image", "a new Image tab");
    await until(async () => (await fieldValue(page, "model").catch(() => "")) === "other.safetensors", "the model chosen in the new tab");
  });

  test("Upscale without an upscaler model says what to get", async () => {
    const tab = activeTab(page);
    await tab.locator("textarea#prompt").fill("a small boat");
    await tab.locator("input#steps").fill("2");
    await tab.locator("input#width").fill("64");
    await tab.locator("input#height").fill("64");
    await tab.locator('[data-action="generate"]').click();
    const figure = tab.locator('ed-results section.task[data-state="succeeded"] figure').first();
    await figure.waitFor({ timeout: 30_000 });
    expect(await figure.locator('[data-action="upscale-2"]').count()).toBe(0);
    await figure.locator('[data-action="upscale-needs-model"]').click();
    await waitText(figure.locator('[data-role="upscale-needs"]'), /^Upscaling needs an upscaler model \(ESRGAN, for example RealESRGAN_x4plus\), and none is installed/);
    await figure.locator('[data-action="find-upscaler"]').click();
    expect(await activeApp()).toBe("model-browser");
    expect(session.pageErrors).toEqual([]);
  });
});
