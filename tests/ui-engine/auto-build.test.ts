/**
 * The automatic source build in real Chromium against the real app on a
 * recorded Debian 12 machine (glibc too old for every release build), with
 * the first-run engine install on: with cmake missing the Engine tab says
 * what is missing with the apt command and the Downloads tab has the waiting
 * build row; "Check again" after cmake "appears" starts the build by itself,
 * which runs to installed (real CMake and compiler, tiny upstream-shaped
 * tree). On a second machine with every tool the first start builds by
 * itself: the status bar and the Downloads tab's build row follow it, and
 * the row's Cancel stops it. The Image tab carries the same news (waiting
 * with the command, Check again, progress) where a new user looks.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningApp } from "../../launcher/start";
import { makeSourceFixture, serveGithub, type GithubServer } from "../engine-build/source-tree";
import { tempData } from "../queue/harness";
import { launchBrowser, openShell, until, waitText } from "../ui/harness";
import { SHOTS, startImageApp } from "../ui-image/harness";
import { debianBuildParts } from "./debian-build";
import { serveRelease, type ReleaseServer } from "./harness";
import { needBuildTools } from "../kit/needs";

setDefaultTimeout(90_000);
const haveTools = needBuildTools();
const TAG = "master-901-ddddddd";
const CPU = "sd-master-ddddddd-bin-Linux-Ubuntu-24.04-x86_64.zip";
let release: ReleaseServer;
let gh: GithubServer;
let browser: Browser;
const cleanups: Array<() => unknown> = [];

/** The real app on a Debian 12 machine whose builder builds `buildTag`; cmake hidden while `hideCmake.value`. */
async function startDebianApp(buildTag: string, hideCmake: { value: boolean }): Promise<{ app: RunningApp; dir: string }> {
  const data = tempData("ed-ui-autobuild-");
  writeFileSync(join(data.dir, "config.yaml"), `engine:\n  api_base: ${release.apiBase}\n  release_tag: ${TAG}\n`);
  const parts = debianBuildParts({ githubApi: () => gh.apiBase, buildTag: () => buildTag, hideCmake: () => hideCmake.value });
  const app = await startImageApp(data.dir, [parts.service]);
  cleanups.push(() => app.stop("test"), data.remove);
  return { app, dir: data.dir };
}

async function openDownloads(page: Page) {
  await page.evaluate(() => (document.querySelector("ed-shell") as unknown as { openApp(id: string): void }).openApp("downloads"));
}

beforeAll(async () => {
  release = serveRelease(TAG, { [CPU]: new Uint8Array(16) });
  gh = serveGithub(haveTools ? [await makeSourceFixture("v-auto-ui"), await makeSourceFixture("v-auto-slow", { slow: true }), await makeSourceFixture("v-auto-note")] : []);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const c of cleanups.reverse()) await c();
  release?.stop();
  gh?.stop();
});

describe.skipIf(!haveTools)("the engine is built by itself where no release build runs", () => {
  test("tools missing: the Engine and Downloads tabs say what to install; Check again starts the build, which installs", async () => {
    const hideCmake = { value: true };
    const { app, dir } = await startDebianApp("v-auto-ui", hideCmake);
    const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
    await openShell(page, app.url);
    // The status bar says what is wanted, not that the engine failed.
    await waitText(page.locator("ed-status-bar ed-engine-indicator button.chip .text"), "Engine: needs build tools", 20_000);
    expect(await page.locator("ed-status-bar ed-engine-indicator button.chip").getAttribute("title")).toBe("Missing to build the engine: cmake (open the Engine tab)");
    await page.click("ed-status-bar ed-engine-indicator button.chip");
    const engineTab = page.locator("ed-shell section.pane:not([hidden]) ed-engine-app");
    const section = engineTab.locator("ed-engine-source-build");
    await waitText(section.locator(".auto-waiting"), /^No release build runs on this machine, so Easy Diffusion builds the engine here\./, 20_000);
    await waitText(section.locator(".toolchain.missing strong"), "cmake");
    expect(await section.locator("code.cmd").textContent()).toBe("sudo apt install cmake");
    // The engine's own error says it too, with the command.
    await waitText(engineTab.locator(".engine-error .what"), /missing to build it: cmake\.$/);
    expect(await engineTab.locator(".engine-error .todo").textContent()).toBe("What to do: Install them with `sudo apt install cmake`, then press Check again in the Engine tab.");
    await page.screenshot({ path: join(SHOTS, "engine-auto-build-waiting.png") });

    await openDownloads(page);
    const row = page.locator("ed-downloads-app ed-build-row");
    await waitText(row.locator(".phase"), "Waiting for build tools: cmake");
    expect(await row.locator("pre.cmd").textContent()).toBe("sudo apt install cmake");

    // The user installs cmake and presses Check again: the build starts without another click.
    hideCmake.value = false;
    await page.click("ed-status-bar ed-engine-indicator button.chip");
    await section.locator("button.recheck").click();
    await waitText(section.locator(".done"), /^Built and installed the CPU engine \(v-auto-ui\)\.$/, 60_000);
    expect(existsSync(join(dir, "engines", "v-auto-ui", "built-cpu", "bin", "sd-cli"))).toBe(true);
    await waitText(page.locator("ed-status-bar ed-engine-indicator button.chip .text"), "Engine: Installed");

    await openDownloads(page);
    await waitText(row.locator(".phase"), "Built and installed");
    expect(await row.locator("li").evaluateAll((lis) => lis.map((l) => `${l.getAttribute("data-step")}:${l.getAttribute("data-state")}`))).toEqual([
      "download:done",
      "configure:done",
      "compile:done",
      "install:done",
      "start:done",
    ]);
    // The source tarballs have their own rows.
    expect(await page.locator("ed-downloads-app ed-download-row .kind").allTextContents()).toEqual(["engine source", "engine source"]);
    await page.close();
  });

  test("tools there: the first start builds by itself, shown in the status bar and the Downloads tab; Cancel there stops it", async () => {
    const { app, dir } = await startDebianApp("v-auto-slow", { value: false });
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    await openShell(page, app.url);
    await waitText(page.locator("ed-status-bar ed-engine-indicator button.build .text"), /^Building engine: compiling \d+%$/, 30_000);
    await openDownloads(page);
    const row = page.locator("ed-downloads-app ed-build-row");
    await waitText(row.locator(".phase"), /^Compiling \d+%$/);
    expect(await row.locator("li[data-state=done]").allTextContents()).toEqual(["Download source", "Configure"]);
    expect(Number(await row.locator("[role=progressbar]").getAttribute("aria-valuenow"))).toBeGreaterThanOrEqual(15);
    await page.screenshot({ path: join(SHOTS, "downloads-engine-build.png") });
    await row.locator("button.cancel").click();
    await waitText(row.locator(".phase"), "Cancelled", 30_000);
    expect(existsSync(join(dir, "engines", "v-auto-slow"))).toBe(false);
    await page.close();
  });

  test("the Image tab says it where a new user looks: the install command with Copy, Check again there starts the build, the note follows it and leaves", async () => {
    const hideCmake = { value: true };
    const { app } = await startDebianApp("v-auto-note", hideCmake);
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    await openShell(page, app.url);
    const note = page.locator("ed-shell section.pane:not([hidden]) ed-image-app ed-engine-build-note section");
    await until(async () => (await note.getAttribute("data-phase").catch(() => null)) === "waiting", "the waiting note", 20_000);
    expect(await note.locator("[data-role=install-command]").textContent()).toBe("sudo apt install cmake");
    await page.screenshot({ path: join(SHOTS, "image-tab-engine-build-waiting.png") });
    // Check again while cmake is still missing says so and starts nothing.
    await note.locator("button[data-action=check-again]").click();
    await waitText(note.locator("[role=alert]"), "Still missing: cmake.");
    hideCmake.value = false;
    await note.locator("button[data-action=check-again]").click();
    // The build runs (the note shows its step) and, once installed, the note is gone.
    await until(async () => (await note.count()) === 0, "the note gone after the build", 60_000);
    await waitText(page.locator("ed-status-bar ed-engine-indicator button.chip .text"), "Engine: Installed");
    await page.close();
  });
});
