/**
 * The Engine tab's "Build for this machine" in real Chromium against the real
 * app on a recorded Debian 12 machine (glibc too old for every release
 * build): the plan suggests building, the toolchain check lists what is
 * missing with the apt command and a copy button, "Check again" clears it,
 * the build of a tiny upstream-shaped tree (real CMake, real compiler) runs
 * to installed, and a compile error shows its step and log lines.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningApp } from "../../launcher/start";
import { makeSourceFixture, serveGithub, type GithubServer } from "../engine-build/source-tree";
import { tempData } from "../queue/harness";
import { launchBrowser, openShell, waitText } from "../ui/harness";
import { startImageApp } from "../ui-image/harness";
import { debianBuildParts } from "./debian-build";
import { serveRelease, type ReleaseServer } from "./harness";
import { needBuildTools } from "../kit/needs";

setDefaultTimeout(90_000);
const haveTools = needBuildTools();
const TAG = "master-901-ddddddd";
const CPU = "sd-master-ddddddd-bin-Linux-Ubuntu-24.04-x86_64.zip";
const data = tempData("ed-ui-build-");
let release: ReleaseServer;
let gh: GithubServer;
let app: RunningApp;
let browser: Browser;
let page: Page;
let hideCmake = true;
let buildTag = "v-ui";

const section = () => page.locator("ed-shell section.pane:not([hidden]) ed-engine-app ed-engine-source-build");

beforeAll(async () => {
  release = serveRelease(TAG, { [CPU]: new Uint8Array(16) });
  gh = serveGithub(haveTools ? [await makeSourceFixture("v-ui"), await makeSourceFixture("v-ui-broken", { broken: true }), await makeSourceFixture("v-ui-slow", { slow: true })] : []);
  writeFileSync(join(data.dir, "config.yaml"), `engine:\n  api_base: ${release.apiBase}\n  release_tag: ${TAG}\n`);
  const parts = debianBuildParts({ githubApi: () => gh.apiBase, buildTag: () => buildTag, hideCmake: () => hideCmake, installOnStart: false });
  [browser, app] = await Promise.all([launchBrowser(), startImageApp(data.dir, [parts.service])]);
  page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
  await openShell(page, app.url);
  await page.click("ed-status-bar ed-engine-indicator button.chip");
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop("test");
  release?.stop();
  gh?.stop();
  data.remove();
});

describe("Build for this machine", () => {
  test("the plan suggests it; missing tools are listed with the apt command; Check again clears them", async () => {
    await waitText(section().locator(".suggest"), /no release build can run here, so the engine is built from source/, 20_000);
    await waitText(section().locator(".toolchain.missing strong"), "cmake");
    expect(await section().locator("code.cmd").textContent()).toBe("sudo apt install cmake");
    expect(await section().locator("button.start-build").isDisabled()).toBe(true);
    await section().locator("button.copy").click();
    await waitText(section().locator("button.copy"), "Copied");
    hideCmake = false;
    await section().locator("button.recheck").click();
    await waitText(section().locator(".toolchain.ok"), /^Everything needed to build is installed/);
  });

  test.skipIf(!haveTools)("builds, shows progress to the end, and installs built-cpu", async () => {
    await section().locator("button.start-build").click();
    await waitText(section().locator(".done"), /^Built and installed the CPU engine \(v-ui\)\.$/, 60_000);
    expect(existsSync(join(data.dir, "engines", "v-ui", "built-cpu", "install.json"))).toBe(true);
  });

  test.skipIf(!haveTools)("a compile error shows the failed step and the log's last lines", async () => {
    buildTag = "v-ui-broken";
    await section().locator("button.start-build").click();
    await waitText(section().locator(".failed strong"), "compile", 60_000);
    expect(await section().locator("pre.tail").textContent()).toContain("this_is_not_cpp");
  });

  test.skipIf(!haveTools)("a running build shows in the status bar; Cancel stops it", async () => {
    buildTag = "v-ui-slow";
    await section().locator("button.start-build").click();
    await waitText(section().locator(".progress p").first(), /^Compiling \d+%$/, 20_000).catch(async (e) => {
      console.log(await section().innerHTML());
      throw e;
    });
    await waitText(page.locator("ed-status-bar ed-engine-indicator button.build .text"), /^Building engine: compiling \d+%$/, 20_000);
    await section().locator("button.cancel").click();
    await waitText(section().locator(".cancelled"), "The build was cancelled.", 30_000);
    await waitText(page.locator("ed-status-bar ed-engine-indicator button.chip .text"), /^Engine: /);
    expect(existsSync(join(data.dir, "engines", "v-ui-slow"))).toBe(false);
  });
});
