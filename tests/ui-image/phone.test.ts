/**
 * The Image tab on a phone (390×844, touch) in real Chromium on the stand-in
 * engine: nothing is wider than the screen at any moment (idle, generating,
 * done: the page's scrollWidth is measured each time, and the ⋮ menu, Paste
 * and Random stay on screen); after Generate the running task's card comes
 * into view; Generate stays at hand (sticky) while the form scrolls; keyboard
 * hints (Ctrl+Enter) are not shown on a touch screen.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { join } from "node:path";
import { activeTab, fieldValue, openGenerating, openShell, SHOTS, until, type GeneratingSession } from "./harness";

setDefaultTimeout(60_000);

let session: GeneratingSession;
let context: BrowserContext;
let page: Page;
const W = 390;

/** The widest thing on the page: it must fit the screen. */
const pageWidth = () => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
const inView = (loc: Locator) =>
  loc.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth && r.height > 0;
  });
const rightEdge = (loc: Locator) => loc.evaluate((el) => el.getBoundingClientRect().right);

async function fitsTheScreen(moment: string) {
  const width = await pageWidth();
  if (width > W) {
    // Name the culprits: the outermost elements that reach past the screen's edge.
    const wide = await page.evaluate((w) => {
      const out: string[] = [];
      const walk = (root: Element | ShadowRoot, depth: number) => {
        for (const el of Array.from(root.children)) {
          const r = el.getBoundingClientRect();
          if (r.right > w + 1 && r.width > 0) out.push(`${"  ".repeat(depth)}${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}–${Math.round(r.right)}`);
          if (el.shadowRoot) walk(el.shadowRoot, depth + 1);
          walk(el, depth + 1);
        }
      };
      walk(document.body, 0);
      return out.slice(0, 25).join("\n");
    }, W);
    throw new Error(`${moment}: the page is ${width} px wide on a ${W} px screen:\n${wide}`);
  }
  for (const [what, loc] of [
    ["the ⋮ menu", page.locator("ed-main-menu .trigger")],
    ["Paste", activeTab(page).locator('[data-action="paste-settings"]')],
    ["Random", activeTab(page).locator('input[name="random_seed"]')],
  ] as const)
    expect(`${moment}: ${what} ends at ${Math.round(await rightEdge(loc))}`).toBe(`${moment}: ${what} ends at ${Math.min(W, Math.round(await rightEdge(loc)))}`);
}

beforeAll(async () => {
  session = await openGenerating("ed-ui-phone", { stepMs: 250, startDelayMs: 100 });
  context = await session.browser.newContext({ viewport: { width: W, height: 844 }, hasTouch: true, isMobile: true });
  page = await context.newPage();
  page.on("pageerror", (e) => session.pageErrors.push(e.message));
  await openShell(page, session.app.url);
  await until(async () => (await fieldValue(page, "model").catch(() => "")) !== "", "a model selected");
}, 60_000);

afterAll(async () => {
  await context?.close();
  await session?.close();
}, 30_000);

describe("the phone", () => {
  test("idle: fits the screen; no keyboard hints on a touch screen", async () => {
    await fitsTheScreen("idle");
    expect(await activeTab(page).locator(".generate .hint").filter({ hasText: "Ctrl+Enter" }).isVisible()).toBe(false);
    expect(await activeTab(page).locator("textarea#prompt").getAttribute("placeholder")).not.toContain("Ctrl+Enter");
    expect(await activeTab(page).locator("ed-results .empty").innerText()).not.toContain("Ctrl+Enter");
  });

  test("Generate stays at hand while the form scrolls", async () => {
    const generate = activeTab(page).locator('[data-action="generate"]');
    await activeTab(page).locator('details[data-group="advanced"] summary').scrollIntoViewIfNeeded();
    expect(await inView(activeTab(page).locator('details[data-group="advanced"] summary'))).toBe(true);
    expect(await inView(generate)).toBe(true);
  });

  test("after Generate the running task's card comes into view; the page fits the screen while it runs and when it is done", async () => {
    const tab = activeTab(page);
    await tab.locator("textarea#prompt").fill("a lighthouse on a cliff at dusk, seen from a small boat far out at sea, long exposure");
    await tab.locator("input#steps").fill("12");
    await tab.locator("input#width").fill("64");
    await tab.locator("input#height").fill("64");
    await tab.locator('[data-action="generate"]').tap();
    const running = tab.locator('ed-results section.task[data-state="running"]').first();
    await running.waitFor({ timeout: 20_000 });
    await until(() => running.evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().top < window.innerHeight), "the running card in view", 5000);
    await fitsTheScreen("generating");
    await page.screenshot({ path: join(SHOTS, "phone-generating.png") });
    await tab.locator('ed-results section.task[data-state="succeeded"] figure img').first().waitFor({ timeout: 30_000 });
    await fitsTheScreen("done");
    await page.screenshot({ path: join(SHOTS, "phone-done.png") });
    expect(session.pageErrors).toEqual([]);
  });
});
