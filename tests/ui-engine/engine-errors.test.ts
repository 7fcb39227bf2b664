/**
 * The Engine tab on a machine no release build fits (a recorded Debian 12,
 * glibc 2.36): the failure reads as what happened and what to do, each
 * release build says why it cannot run, and importing a local build fixes it.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { tempData } from "../queue/harness";
import { FAST } from "../standin/fixtures";
import { standinBuild } from "../standin/pack";
import { launchBrowser, openShell, until, waitText } from "../ui/harness";
import { SHOTS } from "../ui-image/harness";
import { serveRelease, startEngineApp, type EngineApp, type ReleaseServer } from "./harness";

setDefaultTimeout(40_000);
const data = tempData("ed-ui-engine-errors-");
let release: ReleaseServer;
let ed: EngineApp;
let browser: Browser;
let page: Page;
const engineTab = () => page.locator("ed-shell section.pane:not([hidden]) ed-engine-app");

beforeAll(async () => {
  const zip = new TextEncoder().encode("never downloaded");
  release = serveRelease("master-902-eeeeeee", { "sd-master-eeeeeee-bin-Linux-Ubuntu-24.04-x86_64-vulkan.zip": zip, "sd-master-eeeeeee-bin-Linux-Ubuntu-24.04-x86_64.zip": zip });
  browser = await launchBrowser();
  ed = await startEngineApp(data.dir, release, "debian12-cpu");
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await openShell(page, ed.app.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ed?.app.stop("test");
  release?.stop();
  data.remove();
});

test("glibc too old: what happened, what to do, why each build cannot run; an imported build fixes it", async () => {
  await waitText(page.locator("ed-status-bar ed-engine-indicator button.chip"), "Engine: Failed", 20_000);
  await page.click("ed-status-bar ed-engine-indicator button.chip");
  const error = engineTab().locator(".engine-error");
  await waitText(error.locator(".what"), "This engine needs glibc 2.39, your system has 2.36.");
  const todo = (await error.locator(".todo").textContent())!;
  expect(todo).toStartWith("What to do: Upgrade to a system with glibc 2.39 or newer");
  expect(todo).toContain("easy-diffusion engine import");
  expect(ed.engine.status().error?.code).toBe("glibc_too_old");

  await waitText(engineTab().locator("ed-engine-hardware .card.gpu"), "No graphics card found: images are made on the CPU (slow).");
  expect(await engineTab().locator("ed-engine-hardware .card.system").textContent()).toContain("2.36");
  const rejected = engineTab().locator("ed-engine-hardware .card.rejected");
  expect(await rejected.evaluateAll((els) => els.map((e) => e.getAttribute("data-variant")))).toEqual(["cpu"]); // no GPU: Vulkan is not a candidate at all
  expect(await rejected.first().textContent()).toContain("this engine needs glibc 2.39, your system has 2.36");
  expect(await engineTab().locator("ed-engine-hardware .candidate").count()).toBe(0);
  expect(release.downloads).toEqual([]); // nothing that cannot run is downloaded
  await page.screenshot({ path: join(SHOTS, "engine-tab-glibc.png") });

  const folder = join(data.dir, "my-build");
  standinBuild(folder, FAST);
  await engineTab().locator("form.import input").fill(folder);
  await engineTab().locator("form.import button").click();
  await engineTab().locator(".confirm button.confirm-import").click();
  await waitText(engineTab().locator(".import-message"), /^Imported cpu \(imported-my-build\)\.$/);
  await until(async () => (await engineTab().locator(".badge.state").getAttribute("data-state")) === "installed", "installed");
  expect(await engineTab().locator(".engine-error").count()).toBe(0);
  await waitText(engineTab().locator("table.builds tbody tr td").nth(2), "imported-my-build");

  // On a phone-sized screen nothing sticks out sideways.
  await page.setViewportSize({ width: 390, height: 800 });
  await until(async () => (await engineTab().evaluate((el) => el.scrollWidth <= el.clientWidth + 1)) === true, "no sideways overflow");
  await page.screenshot({ path: join(SHOTS, "engine-tab-phone.png") });
});
