/**
 * Results a new user can open and follow, in real Chromium at 1280×800 on
 * the stand-in engine: a click on a picture opens it large (previous/next
 * over the task's pictures, 100%, the card's actions, Escape closes); "Use as
 * input" says "Now image-to-image … · Clear" beside Generate, and the next
 * task's card says img2img with its strength, as does the Gallery viewer,
 * while a text-to-image picture's viewer shows no denoising strength; "Make
 * similar" on a lower card brings the new task into view; the seed box reads
 * "random" while Random is ticked; cards say how long they took; a queued
 * task has one action (Remove), not Cancel beside it; the queue header is one
 * row; Gallery tiles show their prompt and size on hover.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { galleryService } from "../../gallery/service";
import type { Service, ServiceFactory } from "../../core/services";
import type { TaskQueue } from "../../queue/queue";
import { activeTab, fieldValue, generateServices, openSession, seedModels, SHOTS, until, waitText, type GeneratingSession } from "./harness";

setDefaultTimeout(60_000);

let session: GeneratingSession;
let page: Page;
const results = () => activeTab(page).locator("ed-results");
const queue = () => activeTab(page).locator("ed-queue-panel");
const lightbox = () => results().locator("ed-lightbox");
const api = (path: string, init?: RequestInit) => fetch(new URL(path, session.app.url), init);

async function typePrompt(prompt: string, images = 1) {
  const tab = activeTab(page);
  await tab.locator("textarea#prompt").fill(prompt);
  await tab.locator("input#steps").fill("3");
  await tab.locator("input#width").fill("64");
  await tab.locator("input#height").fill("64");
  await tab.locator("input#num_images").fill(String(images));
}

async function generate(prompt: string, images = 1) {
  await typePrompt(prompt, images);
  await activeTab(page).locator('[data-action="generate"]').click();
  await waitForPictures(prompt, images);
}

async function waitForPictures(prompt: string, n = 1) {
  const task = results().locator(`section.task[data-state="succeeded"]`, { hasText: prompt }).first();
  await until(async () => (await task.locator("figure img").count()) >= n, `${n} pictures for "${prompt}"`, 30_000);
}

/** Whether the element is (at least partly) inside the window. */
const inView = (loc: import("playwright-core").Locator) => loc.evaluate((el) => {
  const r = el.getBoundingClientRect();
  return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
});

beforeAll(async () => {
  let q: TaskQueue | undefined;
  session = await openSession(
    "ed-ui-results",
    (engineRoot) => {
      const [engine, models, queueFactory] = generateServices(engineRoot, { stepMs: 30, startDelayMs: 20 });
      const withQueue: ServiceFactory = async (ctx) => {
        const s = (await queueFactory!(ctx)) as Service & { queue: TaskQueue };
        q = s.queue;
        return s;
      };
      return [engine!, models!, withQueue, galleryService({ imagePath: (id) => q?.store.image(id)?.path, thumbnailWorkers: 1 })];
    },
    seedModels,
  );
  page = session.page;
  await until(async () => (await fieldValue(page, "model").catch(() => "")) !== "", "a model selected");
}, 60_000);

afterAll(() => session?.close(), 30_000);

describe("results", () => {
  test("the seed box reads 'random' while Random is ticked", async () => {
    const seed = activeTab(page).locator("input#seed");
    expect(await activeTab(page).locator('input[name="random_seed"]').isChecked()).toBe(true);
    expect(await seed.inputValue()).toBe("random");
  });

  test("a click on a picture opens it large: previous/next, 100%, the card's actions; Escape closes", async () => {
    await generate("two lighthouses", 2);
    const task = results().locator("section.task", { hasText: "two lighthouses" }).first();
    await waitText(task.locator('[data-role="took"]'), /^took \d+ s$/);
    expect(await activeTab(page).locator("input#seed").inputValue()).toBe("random");
    await task.locator("figure img").first().click();
    await lightbox().waitFor();
    const caption = lightbox().locator("[data-caption]");
    await waitText(caption, /^Seed \d+ · 64×64 · 1 of 2$/);
    expect(await lightbox().locator('[data-action="prev"]').isDisabled()).toBe(true);
    await lightbox().locator('[data-action="next"]').click();
    await waitText(caption, /^Seed \d+ · 64×64 · 2 of 2$/);
    await page.screenshot({ path: join(SHOTS, "lightbox.png") });
    await page.keyboard.press("ArrowLeft");
    await waitText(caption, /· 1 of 2$/);
    // 100%: the picture at its own size, pixel for pixel.
    await lightbox().locator('[data-action="zoom"]').click();
    expect(await lightbox().locator("img").evaluate((i: HTMLImageElement) => i.clientWidth === i.naturalWidth && i.naturalWidth === 64)).toBe(true);
    await waitText(lightbox().locator('[data-action="zoom"]'), "Fit");
    // The same actions as the card.
    const actions = lightbox().locator(".lightbox-actions");
    for (const a of ["use-input", "reuse", "similar", "download", "gallery"]) expect(await actions.locator(`[data-action="${a}"]`).count()).toBe(1);
    await page.keyboard.press("Escape");
    await until(async () => (await lightbox().count()) === 0, "the large view closed");
  });

  test("Use as input: 'Now image-to-image · Clear' beside Generate; the next card and the Gallery viewer say img2img with its strength", async () => {
    const first = results().locator("section.task", { hasText: "two lighthouses" }).first();
    await first.locator("figure img").first().click();
    await lightbox().locator('.lightbox-actions [data-action="use-input"]').click();
    const line = activeTab(page).locator('[data-role="img2img"]');
    await waitText(line.locator("span"), "Now image-to-image from this picture · strength 0.75");
    expect(await lightbox().count()).toBe(0);
    await until(() => inView(line), "the img2img line in view");
    expect(await line.locator("img").count()).toBe(1);
    await generate("a lighthouse, repainted");
    const card = results().locator("section.task", { hasText: "a lighthouse, repainted" }).first();
    await waitText(card.locator('[data-role="mode"]'), "img2img · strength 0.75");
    expect(await first.locator('[data-role="mode"]').count()).toBe(0);

    // The Gallery viewer: img2img with its strength; a text-to-image picture shows none.
    await card.locator('figure [data-action="gallery"]').first().click();
    const viewer = page.locator("ed-shell section.pane:not([hidden]) ed-gallery-app ed-gallery-viewer");
    await waitText(viewer.locator("[data-role=prompt]"), "a lighthouse, repainted");
    const img2img = (await viewer.locator("[data-role=settings]").innerText()).replace(/\s+/g, " ");
    expect(img2img).toContain("Made as img2img · strength 0.75");
    await page.locator("ed-shell ed-tab-strip [role=tab]").first().click();
    await first.locator('figure [data-action="gallery"]').first().click();
    await waitText(viewer.locator("[data-role=prompt]"), "two lighthouses");
    const txt2img = (await viewer.locator("[data-role=settings]").innerText()).replace(/\s+/g, " ");
    expect(txt2img).toContain("Made as txt2img");
    expect(txt2img).not.toContain("Denoising strength");
    expect(txt2img).not.toContain("strength");
    await viewer.locator("button[data-action=close]").click();
    await page.locator("ed-shell ed-tab-strip [role=tab]").first().click();

    // Clear: plain text-to-image again.
    await activeTab(page).locator('[data-action="clear-input"]').click();
    await until(async () => (await line.count()) === 0, "the img2img line gone");
  });

  test("Make similar on a lower card brings the new task into view", async () => {
    await generate("a third picture");
    await generate("a fourth picture");
    const lowest = results().locator("section.task").last();
    await lowest.scrollIntoViewIfNeeded();
    const before = await results().locator("section.task").count();
    await lowest.locator('[data-action="similar"]').first().click();
    await until(async () => (await results().locator("section.task").count()) === before + 1, "the new task listed");
    const newest = results().locator("section.task").first();
    await until(() => inView(newest), "the new task in view", 5000);
  });

  test("a queued task has one action; the queue header is one row at 1280 px", async () => {
    await api("/api/queue", { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ paused: true }) });
    await typePrompt("waiting its turn");
    await activeTab(page).locator('[data-action="generate"]').click();
    const queued = queue().locator('li[data-state="queued"]').first();
    await queued.waitFor();
    expect(await queued.locator('[data-action="cancel"]').count()).toBe(0);
    expect(await queued.locator('[data-action="remove"]').count()).toBe(1);
    // Every header control on one line: Resume, Stop all, Clear, the bell.
    const header = queue().locator("header");
    for (const a of ["pause", "stop-all", "clear-finished", "notify"]) expect(await header.locator(`[data-action="${a}"]`).count()).toBe(1);
    const tops = await header.evaluate((h) => [...h.children].map((c) => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2)));
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThanOrEqual(2);
    await queued.locator('[data-action="remove"]').click();
    await api("/api/queue", { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ paused: false }) });
  });

  test("Gallery tiles show the prompt and size on hover; the grid is reachable from the keyboard, with a focus ring", async () => {
    await page.click("ed-main-menu .trigger");
    await page.locator("ed-main-menu [role=menuitem]", { hasText: "Gallery" }).click();
    const cell = page.locator("ed-shell section.pane:not([hidden]) ed-gallery-app ed-gallery-grid .cell[data-id]:not([data-id=''])").first();
    await cell.waitFor();
    const info = cell.locator('[data-role="tile-info"]');
    expect(await info.evaluate((el) => getComputedStyle(el).opacity)).toBe("0");
    await cell.hover();
    await until(async () => (await info.evaluate((el) => getComputedStyle(el).opacity)) === "1", "the tile's info shown");
    expect((await info.innerText()).replace(/\s+/g, " ")).toMatch(/64×64$/);
    // From the keyboard: the grid takes the focus, a tile shows a ring (the first, or the one shown last), the arrows go on in order.
    await page.mouse.move(0, 0);
    const gallery = page.locator("ed-shell section.pane:not([hidden]) ed-gallery-app");
    await gallery.focus();
    const ring = () => gallery.locator("ed-gallery-grid .cell.focus");
    await until(async () => (await ring().count()) === 1, "a tile focused");
    expect(await ring().evaluate((el) => getComputedStyle(el).boxShadow)).not.toBe("none");
    await page.keyboard.press("Home");
    await until(async () => (await ring().getAttribute("data-index").catch(() => null)) === "0", "the first tile focused");
    await page.keyboard.press("ArrowRight");
    await until(async () => (await ring().getAttribute("data-index").catch(() => null)) === "1", "the next tile focused");
    expect(session.pageErrors).toEqual([]);
  });
});
