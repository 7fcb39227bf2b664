/**
 * The Gallery tab in Chromium, on the real app with the queue (stand-in
 * engine) and the Gallery service: opening it from the main menu, search as
 * you type, the viewer, "reuse settings" filling the Image tab, keyboard
 * navigation, selection → export zip, delete with undo, and an Image tab's
 * "Open in gallery" opening the viewer on that picture, "Make similar" and
 * "Show in folder" (a stand-in xdg-open on PATH).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import yauzl from "yauzl";
import { galleryService } from "../../gallery/service";
import type { Service, ServiceFactory } from "../../core/services";
import type { RunningApp } from "../../launcher/start";
import type { TaskQueue } from "../../queue/queue";
import { JSON_KEYWORD } from "../../pictures/metadata/read";
import { generateServices, launchBrowser, openShell, seedModels, SHOTS, startImageApp, tempDataDir, until, waitText, activeTab, fieldValue } from "../ui-image/harness";
import { png } from "./samples";

const data = tempDataDir("ed-gallery-ui-");
const engineRoot = tempDataDir("ed-gallery-ui-engine-");
let browser: Browser;
let app: RunningApp;
let page: Page;
const pageErrors: string[] = [];

const PROMPTS = ["a lighthouse at dawn", "a red fox in snow", "a quiet harbour", "a lighthouse in a storm", "mountain lake", "city at night"];
const DAY = 86_400_000;

function writePictures(outputs: string) {
  mkdirSync(join(outputs, "2026-01"), { recursive: true });
  const now = Date.now();
  for (let i = 0; i < 24; i++) {
    const prompt = `${PROMPTS[i % PROMPTS.length]} ${i}`;
    const request = { prompt, negative_prompt: "blurry", model: "sd-test.safetensors", seed: 1000 + i, steps: 12, cfg_scale: 6, width: 64, height: 48, sampler: "euler" };
    const file = join(outputs, "2026-01", `picture-${String(i).padStart(2, "0")}.png`);
    writeFileSync(file, png(64, 48, { [JSON_KEYWORD]: JSON.stringify(request), parameters: prompt }, i * 10));
    const t = new Date(now - (i < 12 ? 0 : 2 * DAY) - i * 60_000);
    utimesSync(file, t, t);
  }
}

const gallery = () => page.locator("ed-shell section.pane:not([hidden]) ed-gallery-app");
const cells = () => gallery().locator("ed-gallery-grid .cell[data-id]:not([data-id=''])");
const viewer = () => gallery().locator("ed-gallery-viewer");

async function openGallery() {
  await page.click("ed-main-menu .trigger");
  await page.locator("ed-main-menu [role=menuitem]", { hasText: "Gallery" }).click();
  await until(async () => (await cells().count()) > 0, "gallery cells");
}

/** The number in the Gallery's "N pictures". */
async function pictureCount(): Promise<number> {
  const text = await waitText(gallery().locator("[data-role=count]"), /^\d+ pictures?$/);
  return Number.parseInt(text, 10);
}

/** Opens the viewer on the picture in cell `index` (in the unfiltered grid) and waits for its prompt. */
async function view(index: number, prompt: string) {
  await cells().nth(index).click();
  await waitText(viewer().locator("[data-role=prompt]"), prompt);
}

let queue: TaskQueue | undefined;

beforeAll(async () => {
  seedModels(data.dir);
  writePictures(join(data.dir, "outputs"));
  const [engine, models, queueFactory] = generateServices(engineRoot.dir);
  const withQueue: ServiceFactory = async (ctx) => {
    const s = (await queueFactory!(ctx)) as Service & { queue: TaskQueue };
    queue = s.queue;
    return s;
  };
  const services = [engine!, models!, withQueue, galleryService({ imagePath: (id) => queue?.store.image(id)?.path, trash: { kind: "folder", dir: join(data.dir, "test-trash") }, thumbnailWorkers: 1 })];
  [browser, app] = await Promise.all([launchBrowser(), startImageApp(data.dir, services)]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await openShell(page, app.url);
  await until(async () => (await fieldValue(page, "model").catch(() => "")) !== "", "a model selected");
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  data.remove();
  engineRoot.remove();
});

describe("Gallery tab", () => {
  // Each test starts on a freshly loaded page (no viewer, search or selection left by another) and opens what it
  // needs itself, so each passes alone (bun test -t). What the server keeps (pictures added) carries on: counts are relative.
  beforeEach(async () => {
    await openShell(page, app.url);
  });

  test("opens from the main menu with every picture, newest first, grouped by day", async () => {
    await openGallery();
    await until(async () => (await cells().count()) === 24, "24 cells");
    const headings = await gallery().locator("ed-gallery-grid .day").allTextContents();
    expect(headings).toHaveLength(2);
    expect(headings[0]).toContain("Today · 12");
    expect(await cells().first().getAttribute("title")).toBe("a lighthouse at dawn 0");
    await until(async () => (await cells().first().locator("img").evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))) > 0, "a thumbnail");
    await waitText(gallery().locator("[data-role=count]"), "24 pictures");
    await page.screenshot({ path: join(SHOTS, "gallery-grid.png") });
  });

  test("search updates as you type: prefixes and phrases", async () => {
    await openGallery();
    await gallery().locator("ed-gallery-toolbar input[type=search]").fill("lighth");
    await until(async () => (await cells().count()) === 8, "8 lighthouse pictures");
    await gallery().locator("ed-gallery-toolbar input[type=search]").fill('"lighthouse in"');
    await until(async () => (await cells().count()) === 4, "4 storm pictures");
    await gallery().locator("ed-gallery-toolbar input[type=search]").fill("");
    await until(async () => (await cells().count()) === 24, "all again");
  });

  test("the viewer shows the picture and its settings; reuse settings fills the Image tab", async () => {
    await openGallery();
    await view(1, "a red fox in snow 1");
    await page.screenshot({ path: join(SHOTS, "gallery-viewer.png") });
    expect(await viewer().locator("[data-role=settings]").textContent()).toContain("1001");
    await viewer().locator("button[data-action=reuse]").click();
    await until(async () => (await activeTab(page).count()) === 1, "the Image tab shown");
    await until(async () => (await fieldValue(page, "prompt")) === "a red fox in snow 1", "the prompt restored");
    expect(await fieldValue(page, "seed")).toBe("1001");
    expect(await fieldValue(page, "steps")).toBe("12");
  });

  test("use as input puts the picture in the Image tab as its init image", async () => {
    await openGallery();
    await view(1, "a red fox in snow 1");
    await viewer().locator("button[data-action=use-input]").click();
    await activeTab(page).locator("details[data-group=inputs] img.thumb").waitFor();
    await activeTab(page).locator('button[data-action="remove-init"]').click();
    await until(async () => (await activeTab(page).locator("details[data-group=inputs] img.thumb").count()) === 0, "the init image removed");
  });

  test("keyboard: arrows move, Enter opens, arrows step in the viewer, Escape closes, F favourites", async () => {
    await openGallery();
    await view(1, "a red fox in snow 1"); // focuses picture 1
    await viewer().locator("button[data-action=close]").click();
    expect(await viewer().count()).toBe(0);
    await gallery().focus();
    await page.keyboard.press("ArrowRight"); // focus moves from picture 1 to picture 2
    await page.keyboard.press("Enter");
    await waitText(viewer().locator("[data-role=prompt]"), "a quiet harbour 2");
    await page.keyboard.press("ArrowRight");
    await waitText(viewer().locator("[data-role=prompt]"), "a lighthouse in a storm 3");
    await page.keyboard.press("f");
    await until(async () => (await viewer().locator("button[data-action=favourite]").getAttribute("aria-pressed")) === "true", "favourite");
    await page.keyboard.press("Escape");
    expect(await viewer().count()).toBe(0);
    await page.keyboard.press("ArrowDown");
    const focused = gallery().locator("ed-gallery-grid .cell.focus");
    const columns = await gallery().locator("ed-gallery-grid .row").first().locator(".cell").count();
    expect(await focused.getAttribute("data-index")).toBe(String(3 + columns));
  });

  test("Ctrl-click selects; the selection exports as a zip of pictures and settings", async () => {
    await openGallery();
    await cells().nth(0).click({ modifiers: ["Control"] });
    await cells().nth(2).click({ modifiers: ["Control"] });
    await waitText(gallery().locator("[data-role=selection]"), /^2 selected/);
    const [download] = await Promise.all([page.waitForEvent("download"), gallery().locator("button[data-action=export]").click()]);
    const bytes = readFileSync((await download.path())!);
    const names = await new Promise<string[]>((resolve, reject) =>
      yauzl.fromBuffer(bytes, { lazyEntries: false }, (err, zip) => {
        if (err) return reject(err);
        const out: string[] = [];
        zip.on("entry", (e: yauzl.Entry) => out.push(e.fileName));
        zip.on("end", () => resolve(out));
      }),
    );
    expect(names.sort()).toEqual(["picture-00.png", "picture-02.png", "settings.json"]);
  }, 20_000);

  test("Delete moves the selection to the trash; Undo brings it back", async () => {
    await openGallery();
    const count = await pictureCount();
    await cells().nth(0).click({ modifiers: ["Control"] });
    await cells().nth(2).click({ modifiers: ["Control"] });
    await waitText(gallery().locator("[data-role=selection]"), /^2 selected/);
    await page.keyboard.press("Delete");
    await waitText(gallery().locator(".toast"), /^2 pictures moved to the trash/);
    await waitText(gallery().locator("[data-role=count]"), `${count - 2} pictures`);
    await gallery().locator(".toast button[data-action=undo]").click();
    await waitText(gallery().locator("[data-role=count]"), `${count} pictures`);
  });

  test("the thumbnail size changes the grid and is kept with the tab", async () => {
    await openGallery();
    await gallery().locator("ed-gallery-toolbar input[type=range]").fill("240");
    await until(async () => (await cells().first().evaluate((c) => c.getBoundingClientRect().width)) === 240, "240 px cells");
    await until(async () => {
      const state = (await (await fetch(new URL("/api/ui-state", app.url))).json()) as { tabs: { app: string; state?: { thumbSize?: number } }[] };
      return state.tabs.find((t) => t.app === "gallery")?.state?.thumbSize === 240;
    }, "the size saved with the tab");
  });

  test("an Image tab's Open in gallery opens the viewer on that picture", async () => {
    await page.locator("ed-tab-strip [role=tab]", { hasText: "Image" }).first().click();
    await until(async () => (await fieldValue(page, "model").catch(() => "")) !== "", "a model selected");
    await activeTab(page).locator("textarea[name=prompt]").fill("a brand new teapot");
    await activeTab(page).locator("button[data-action=generate]").click();
    const open = activeTab(page).locator("ed-results button[data-action=gallery]").first();
    await until(async () => (await open.count()) > 0, "a result", 30_000);
    await open.click();
    await waitText(viewer().locator("[data-role=prompt]"), "a brand new teapot");
    await viewer().locator("button[data-action=close]").click();
    expect(await cells().first().getAttribute("title")).toBe("a brand new teapot");
  }, 60_000);

  test("import a folder typed in the toolbar: progress, then its pictures in the grid", async () => {
    const folder = join(data.dir, "..", `${data.dir.split("/").pop()}-elsewhere`);
    mkdirSync(folder, { recursive: true });
    for (const name of ["one", "two"]) writeFileSync(join(folder, `${name}.png`), png(32, 32, { parameters: `imported ${name}\nSteps: 2, Sampler: Euler, CFG scale: 1, Seed: 1, Size: 32x32, Model: m` }));
    await openGallery();
    const count = await pictureCount();
    await gallery().locator("ed-gallery-toolbar button[data-action=import]").click();
    await gallery().locator("ed-gallery-toolbar input[name=folder]").fill(folder);
    await gallery().locator("ed-gallery-toolbar form button[type=submit]").click();
    await waitText(gallery().locator("[data-role=count]"), `${count + 2} pictures`);
    await waitText(gallery().locator("ed-gallery-status [data-role=import]"), /2 new pictures/);
    await gallery().locator("ed-gallery-toolbar input[type=search]").fill("imported");
    await until(async () => (await cells().count()) === 2, "the imported pictures");
    rmSync(folder, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
  });

  test("make similar queues the picture's settings with a new seed; the new picture arrives in the gallery", async () => {
    await openGallery();
    const count = await pictureCount();
    await gallery().locator('ed-gallery-grid .cell[title="a red fox in snow 1"]').click();
    await waitText(viewer().locator("[data-role=prompt]"), "a red fox in snow 1");
    await viewer().locator("button[data-action=similar]").click();
    let task: { request: { prompt: string; seed: number; steps: number }; state: string } | undefined;
    await until(async () => {
      const res = (await (await fetch(new URL("/api/tasks", app.url))).json()) as { tasks: NonNullable<typeof task>[] };
      task = res.tasks.find((t) => t.request.prompt === "a red fox in snow 1");
      return task?.state === "succeeded";
    }, "the similar task done");
    expect(task!.request.steps).toBe(12);
    expect(task!.request.seed).not.toBe(1001);
    await page.locator("ed-tab-strip [role=tab]", { hasText: "Gallery" }).click();
    // The viewer is open, so the new picture is announced rather than pushed into the grid under it.
    await waitText(gallery().locator("ed-gallery-status button[data-action=show-new]"), "1 new ↑");
    await viewer().locator("button[data-action=close]").click();
    await gallery().locator("ed-gallery-status button[data-action=show-new]").click();
    await waitText(gallery().locator("[data-role=count]"), `${count + 1} pictures`);
    expect(await cells().first().getAttribute("title")).toBe("a red fox in snow 1");
  }, 60_000);

  test("show in folder opens the file manager on the picture's folder, or says where it is", async () => {
    const savedPath = process.env.PATH;
    const bin = join(data.dir, "opener-bin");
    const log = join(data.dir, "opened.txt");
    mkdirSync(bin, { recursive: true });
    try {
      writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\necho "$1" > '${log}'\n`, { mode: 0o755 });
      process.env.PATH = bin;
      await openGallery();
      await gallery().locator('ed-gallery-grid .cell[title="a red fox in snow 1"]').last().click(); // the picture from 2026-01
      await waitText(viewer().locator("[data-role=prompt]"), "a red fox in snow 1");
      await viewer().locator("button[data-action=reveal]").click();
      await until(async () => existsSync(log), "xdg-open called");
      expect(readFileSync(log, "utf8").trim()).toBe(join(data.dir, "outputs", "2026-01"));
      writeFileSync(join(bin, "xdg-open"), "#!/bin/sh\nexit 3\n", { mode: 0o755 });
      await viewer().locator("button[data-action=reveal]").click();
      await waitText(gallery().locator(".toast"), `No file manager could be opened here. The picture is in ${join(data.dir, "outputs", "2026-01")}`);
    } finally {
      process.env.PATH = savedPath;
    }
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
