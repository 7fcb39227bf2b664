/**
 * <ed-video-player> on a WebM, in real Chromium: the stand-in engine cannot
 * encode WebM (engines built with SD_WEBM do), so the page records one itself
 * (MediaRecorder, VP8, from a canvas that shows one colour per frame) and the
 * player plays it from a blob: URL — its frame steps land on other frames,
 * Loop is on, and "Use frame as input" hands the frame on screen to the
 * Image tab as its init image.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import type { RunningApp } from "../../launcher/start";
import { launchBrowser, openShell, startUiApp, tempDataDir, until, waitText } from "../ui/harness";
import { recordWebm } from "./recorded-webm";

setDefaultTimeout(60_000);

let browser: Browser;
let app: RunningApp;
let page: Page;
const data = tempDataDir("ed-ui-video-webm-");

beforeAll(async () => {
  [browser, app] = await Promise.all([launchBrowser(), startUiApp(data.dir)]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openShell(page, app.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  data.remove();
});

test("a WebM plays in a <video>, a frame at a time, and a frame goes to the Image tab", async () => {
  // The player's code comes with the Video tab.
  await page.click("ed-tab-strip button.new");
  await page.click('ed-tab-strip .picker [data-app="video"]');
  await page.locator("ed-shell section.pane:not([hidden]) ed-video-app").waitFor();
  const { url } = await recordWebm(page, { frames: 10, size: 64, frameMs: 100 });
  await page.evaluate((src) => {
    const player = document.createElement("ed-video-player");
    Object.assign(player, { src, mime: "video/webm", fps: 10, frameCount: 10, name: "test.webm" });
    player.id = "webm-player";
    document.querySelector("ed-shell")!.shadowRoot!.querySelector("section.pane:not([hidden]) ed-video-app")!.shadowRoot!.append(player);
  }, url);
  const player = page.locator("#webm-player");
  await until(() => player.locator("video").evaluate((v: HTMLVideoElement) => v.readyState >= 2), "the WebM loaded");
  expect(await player.locator("video").evaluate((v: HTMLVideoElement) => v.loop)).toBe(true);
  const colour = () =>
    player.evaluate((p: HTMLElement & { frameDataUrl(): string }) => {
      const img = new Image();
      img.src = p.frameDataUrl();
      return img.decode().then(() => {
        const c = document.createElement("canvas");
        c.width = c.height = 1;
        c.getContext("2d")!.drawImage(img, 32, 32, 1, 1, 0, 0, 1, 1);
        return Array.from(c.getContext("2d")!.getImageData(0, 0, 1, 1).data.slice(0, 3));
      });
    });
  await player.locator('[data-action="play"]').click(); // pause
  for (let i = 0; i < 3; i++) await player.locator('[data-action="frame-back"]').click();
  await waitText(player.locator('[data-role="frame"]'), /^frame \d+ \/ 10$/);
  const before = await colour();
  const at = Number((await player.locator('[data-role="frame"]').textContent())!.match(/frame (\d+)/)![1]);
  await player.locator('[data-action="frame-on"]').click();
  await player.locator('[data-action="frame-on"]').click();
  await waitText(player.locator('[data-role="frame"]'), `frame ${at + 2} / 10`);
  await until(async () => JSON.stringify(await colour()) !== JSON.stringify(before), "another frame on screen");
  await player.locator('[data-action="use-frame"]').click();
  await until(async () => (await page.locator("ed-shell section.pane:not([hidden])").getAttribute("data-app")) === "image", "the Image tab shown");
  await page.locator('ed-shell section.pane:not([hidden]) ed-image-app [data-role="img2img"]').waitFor();
});
