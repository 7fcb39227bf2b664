/**
 * The Engine tab offline with an installed, working engine, in real Chromium
 * (1280×800 and 390×844): the release server is gone (it resets every
 * connection) and nothing of the release is cached. That blocks nothing, so
 * it is no error: /api/engine/plan answers 200 with "offline: can't check for
 * a newer engine", the tab says so quietly (no red box, no resolver words),
 * and the network is asked once, not on every page load.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { releaseCacheFile } from "../../engine/install/installed";
import { FAST } from "../standin/fixtures";
import { packStandinZip } from "../standin/pack";
import { tempData } from "../queue/harness";
import { launchBrowser, openShell, until, waitText } from "../ui/harness";
import { REPO, serveRelease, startEngineApp, type EngineApp, type ReleaseServer } from "./harness";

setDefaultTimeout(60_000);
const TAG = "master-901-ddddddd";
const VULKAN = "sd-master-ddddddd-bin-Linux-Ubuntu-24.04-x86_64-vulkan.zip";
const CPU = "sd-master-ddddddd-bin-Linux-Ubuntu-24.04-x86_64.zip";
const data = tempData("ed-ui-engine-offline-");
let release: ReleaseServer;
let gone: Bun.TCPSocketListener<undefined> | undefined;
let connections = 0;
let ed: EngineApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const zip = join(data.dir, "standin.zip");
  await packStandinZip(zip, { workDir: join(data.dir, "pack"), config: FAST, topFolder: "build" });
  const bytes = new Uint8Array(await Bun.file(zip).arrayBuffer());
  release = serveRelease(TAG, { [VULKAN]: bytes, [CPU]: bytes }, { chunk: 1 << 20, everyMs: 1 });
  browser = await launchBrowser();
  // The best build is installed on start and runs.
  ed = await startEngineApp(data.dir, release);
  // Installed and able to start (it starts with the first image).
  await until(() => ["installed", "ready"].includes(ed.engine.status().state), "the engine installed", 40_000);
  // Now offline: the release server's port cuts every connection, and the release was never cached.
  const port = Number(new URL(release.apiBase).port);
  await release.stop();
  // The closed port can take a moment to be free for a new listener.
  await until(() => {
    try {
      gone = Bun.listen({ hostname: "127.0.0.1", port, socket: { open: (s) => (connections++, void s.end()), data() {} } });
      return true;
    } catch {
      return false;
    }
  }, "the release port free again", 5_000);
  rmSync(releaseCacheFile(ed.app.ctx.paths.engines, REPO, TAG), { force: true });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await ed?.app.stop("test");
  gone?.stop(true);
  data.remove();
});

const engineTab = () => page.locator("ed-shell section.pane:not([hidden]) ed-engine-app");

async function openEngineTab() {
  await openShell(page, ed.app.url);
  await page.click("ed-status-bar ed-engine-indicator button.chip");
}

describe("the Engine tab offline with a working engine", () => {
  test("the plan is a quiet note, not an error, on every page load; the network is asked once", async () => {
    const plans: number[] = [];
    page.on("response", (r) => void (r.url().endsWith("/api/engine/plan") && plans.push(r.status())));
    for (const size of [{ width: 1280, height: 800 }, { width: 390, height: 844 }, { width: 1280, height: 800 }]) {
      await page.setViewportSize(size);
      await openEngineTab();
      const note = engineTab().locator("ed-engine-hardware [data-offline]");
      await waitText(note, `Offline: can't check for a newer engine. The installed build (${TAG}) is used.`, 20_000);
      expect(await engineTab().locator("ed-engine-hardware .error").count()).toBe(0);
      const text = (await engineTab().innerText()).replace(/\s+/g, " ");
      expect(text).not.toContain("Could not work out");
      expect(text).not.toMatch(/getaddrinfo|ECONNRESET|ENOTFOUND/);
      expect(await engineTab().locator(".engine-error").count()).toBe(0);
      if (size.width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    }
    expect(plans.length).toBeGreaterThanOrEqual(3);
    expect(plans.every((s) => s === 200)).toBe(true);
    // Three page loads, one question to the network (the answer is remembered for a while).
    expect(connections).toBe(1);
  });
});
