/**
 * A guest's browser: Chromium in a network namespace of its own (a phone on
 * the LAN), logged in with the QR link, against the real app with the queue
 * on the stand-in engine. The Image tab makes a picture; Settings shows this
 * computer's settings read-only with the owner-only sentence (the look of the
 * app stays the guest's); the Engine tab cannot import a build; the plugin
 * card cannot install. Needs root and iproute2 (CI has both); skipped where a
 * namespace cannot be made.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { AccessToken } from "../../launcher/access/token";
import type { EngineManager } from "../../engine/manager";
import { engineRoutes } from "../../engine/routes";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import type { ServiceFactory } from "../../core/services";
import { startApp, type RunningApp } from "../../launcher/start";
import { modelsService } from "../../models/service";
import { pluginService } from "../../plugins/service";
import { promptsService } from "../../prompts/service";
import { galleryService } from "../../gallery/service";
import type { TaskQueue } from "../../queue/queue";
import { queueService } from "../../queue/service";
import { assets } from "../../ui/dist/manifest";
import { managerFor } from "../queue/harness";
import { standinInstalled } from "../standin/fixtures";
import { activeTab, seedModels } from "../ui-image/harness";
import { CHROMIUM_ARGS, openShell, randomPort, tempDataDir, until, waitText } from "../ui/harness";
import { PhoneNamespace } from "./netns";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

setDefaultTimeout(60_000);

const phoneNs = new PhoneNamespace();
const available = phoneNs.make();
const data = tempDataDir("ed-guest-ui-");
const engineRoot = tempDataDir("ed-guest-ui-engine-");
const SENTENCE = /^Only the computer running Easy Diffusion can do this: /;
let app: RunningApp;
let browser: Browser;
let page: Page;

/** Engine (stand-in) with the Engine tab's routes, models, queue, Gallery, prompts and plugins, as the app wires them. */
function services(): ServiceFactory[] {
  const build = standinInstalled(engineRoot.dir, "cpu", { stepMs: 50 });
  let manager: EngineManager | undefined;
  const engine: ServiceFactory = (ctx) => {
    manager = managerFor(ctx, build);
    return { name: "engine", routes: { "/engine": engineRoutes(manager, { uploads: ctx.paths.downloads }) }, stop: () => manager?.stop() };
  };
  // The Gallery indexes what the queue saves (as launcher/wiring.ts wires them).
  let queue: TaskQueue | undefined;
  const queueFactory = queueService({ engine: () => manager!, pollMinMs: 20, pollMaxMs: 100 });
  const withQueue: ServiceFactory = async (ctx) => {
    const service = await queueFactory(ctx);
    queue = service.queue;
    return service;
  };
  return [engine, modelsService({ hashInBackground: false }), withQueue, galleryService({ imagePath: (id) => queue?.store.image(id)?.path }), promptsService, pluginService];
}

const openApp = async (command: string) => {
  await page.click("ed-main-menu .trigger");
  await page.click(`ed-main-menu [data-command="${command}"]`);
};

beforeAll(async () => {
  if (!available) return;
  seedModels(data.dir);
  writeFileSync(join(data.dir, "config.yaml"), "ui:\n  open_window: false\nserver:\n  allow_lan: true\n");
  // No --host: "other devices" on means all interfaces, as for a user.
  app = await startApp({ run: { server: true, noOpen: true, dataDir: data.dir, port: randomPort() }, env: { ...readEnv({}), edHome: undefined }, services: services(), ui: assets, log: silentLogger });
  browser = await chromium.launch({ executablePath: phoneNs.chromiumWrapper(data.dir), args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const token = new AccessToken(app.ctx.paths.lanToken).value;
  await openShell(page, `http://${phoneNs.hostIp}:${app.port}/login?token=${token}`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (available) phoneNs.remove();
  data.remove();
  engineRoot.remove();
});

describe.skipIf(!available)("a guest's browser on the network", () => {
  test("is a guest: the page asks /api/session and gets role guest", async () => {
    expect(await page.evaluate(async () => (await (await fetch("/api/session")).json()).role)).toBe("guest");
  });

  test("the Image tab makes a picture on the engine", async () => {
    const tab = activeTab(page);
    await until(async () => (await tab.locator('[name="model"]').first().inputValue().catch(() => "")) !== "", "a model selected", 20_000);
    await tab.locator("textarea#prompt").fill("a lighthouse seen from a phone");
    await tab.locator("input#steps").fill("3");
    await tab.locator("input#width").fill("64");
    await tab.locator("input#height").fill("64");
    await tab.locator("textarea#prompt").press("Control+Enter");
    const img = tab.locator("ed-results section.task[data-state='succeeded']", { hasText: "a lighthouse seen from a phone" }).locator("figure img").first();
    await img.waitFor({ timeout: 40_000 });
    await until(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth === 64), "the picture loaded", 15_000);
  });

  test("Settings: this computer's settings are read-only with the sentence; the look of the app can be changed; the plugin card cannot install", async () => {
    await openApp("app:settings");
    const settings = page.locator("ed-shell section.pane:not([hidden]) ed-settings-app");
    const field = (path: string) => settings.locator(`ed-settings-field[data-path="${path}"] #v`);
    await field("models.extra_folders").waitFor();
    // Advanced (folded by default) holds the network settings.
    await settings.locator('section[data-group="advanced"] summary').click();
    await field("server.cors_origins").waitFor();
    for (const path of ["server.cors_origins", "server.allowed_hosts", "engine.api_base", "engine.release_repo", "models.extra_folders", "models.guest_downloads", "models.huggingface_token"])
      expect(await field(path).isDisabled()).toBe(true);
    expect(await field("server.cors_origins").getAttribute("title")).toMatch(SENTENCE);
    // The sentence is shown with each section of owner settings (and not with the look of the app).
    expect(await settings.locator("p.owner-only").count()).toBeGreaterThan(3);
    expect(await settings.locator("p.owner-only").first().textContent()).toMatch(SENTENCE);
    expect(await field("ui.theme").isDisabled()).toBe(false);
    expect(await field("ui.open_window").isDisabled()).toBe(true);
    // The guest may change the look: saved.
    await field("ui.font_size").fill("15");
    await settings.locator("button.primary").click();
    await waitText(settings.locator(".saved"), "Saved");
    expect(app.ctx.config.config.ui.font_size).toBe(15);
    // Plugins: the card says why and offers no install, no switch, no removal.
    const card = settings.locator("ed-plugins-card");
    expect(await card.locator("p.owner-only").textContent()).toMatch(SENTENCE);
    expect(await card.locator('button[data-action="install-url"]').isDisabled()).toBe(true);
    expect(await card.locator('input[data-action="install-file"]').isDisabled()).toBe(true);
    expect(await card.locator('input[type="url"]').isDisabled()).toBe(true);
  });

  test("the Engine tab cannot import a build: the form is disabled with the sentence, and the server refuses a forced request", async () => {
    // The engine's chip in the status bar opens the Engine tab.
    await page.click("ed-status-bar ed-engine-indicator button.chip");
    const builds = page.locator("ed-shell section.pane:not([hidden]) ed-engine-app ed-engine-builds");
    await builds.locator("form.import").waitFor();
    expect(await builds.locator("p.owner-only").textContent()).toMatch(SENTENCE);
    expect(await builds.locator('form.import input[name="path"]').isDisabled()).toBe(true);
    expect(await builds.locator("form.import button").isDisabled()).toBe(true);
    expect(await builds.locator('input[type="file"]').isDisabled()).toBe(true);
    // The page's own fetch, as a plugin or a curious user could send it: refused with the sentence.
    const answer = await page.evaluate(async () => {
      const res = await fetch("/api/engine/import/nonce", { method: "POST" });
      return { status: res.status, body: await res.json() };
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe("owner_only");
    expect(answer.body.error.message).toMatch(SENTENCE);
  });

  test("Gallery and Model Browser: browsing works; importing a folder, deleting pictures and deleting models are not offered", async () => {
    await openApp("app:gallery");
    const gallery = page.locator("ed-shell section.pane:not([hidden]) ed-gallery-app");
    const importButton = gallery.locator('ed-gallery-toolbar button[data-action="import"]');
    await importButton.waitFor();
    await until(() => importButton.isDisabled(), "Import folder… disabled");
    expect(await importButton.getAttribute("title")).toMatch(SENTENCE);
    // The picture the guest made is there to browse and open.
    await gallery.locator("ed-gallery-grid img").first().waitFor({ timeout: 15_000 });
    await gallery.locator("ed-gallery-grid img").first().dblclick();
    const viewer = gallery.locator("ed-gallery-viewer");
    await viewer.locator('[data-action="download"]').waitFor();
    expect(await viewer.locator('button[data-action="delete"]').isDisabled()).toBe(true);
    expect(await viewer.locator('button[data-action="reveal"]').isDisabled()).toBe(true);
    await openApp("app:model-browser");
    const installed = page.locator("ed-shell section.pane:not([hidden]) ed-installed-view");
    const del = installed.locator('button[data-action="delete"]').first();
    await del.waitFor({ timeout: 15_000 });
    expect(await del.isDisabled()).toBe(true);
    expect(await del.getAttribute("title")).toMatch(SENTENCE);
  });
});
