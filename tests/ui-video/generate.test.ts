/**
 * The Video tab end to end in real Chromium, on the real app with the
 * stand-in engine (vid_gen as upstream 97d2990 does it): a Wan 2.1 T2V
 * video is queued, its progress shows (sampling steps), it plays (frame
 * steps, loop), Reuse settings puts its settings back, the Gallery shows it
 * in its grid (poster, play mark, length; the kind filter and `kind:video`)
 * and plays it, its Reuse settings goes to a Video tab, a frame goes to the
 * Image tab as the init image, the task is removed, and the video is
 * deleted in the Gallery (gone from the Video tab's list too) and undone.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { TELLTALES, writeSafetensors } from "../models/fixtures";
import { openSession, SHOTS, until, waitText, type GeneratingSession } from "../ui-image/harness";
import { videoServices } from "./harness";

setDefaultTimeout(90_000);

let session: GeneratingSession;
let page: Page;
const tab = () => page.locator("ed-shell section.pane:not([hidden]) ed-video-app");
const field = (name: string) => tab().locator(`[name="${name}"]`).first();
const card = () => tab().locator("ed-video-results article.card").first();
const activeApp = () => page.locator("ed-shell section.pane:not([hidden])").getAttribute("data-app");

async function fill(name: string, value: string) {
  await field(name).fill(value);
  await field(name).dispatchEvent("change");
}

beforeAll(async () => {
  session = await openSession(
    "ed-ui-video-gen",
    // The stand-in as the app's own source builds are today: no WebP/WebM, so the app converts its AVI.
    (root) => videoServices(root, { stepMs: 150, decodeMs: 400, videoBuild: "" }),
    (dataDir) => {
      const models = join(dataDir, "models");
      writeSafetensors(join(models, "diffusion_models", "wan2.1-t2v-test.safetensors"), TELLTALES.wan!);
      writeSafetensors(join(models, "vae", "wan_2.1_vae.safetensors"), TELLTALES.vae_qwen!);
      writeSafetensors(join(models, "text_encoders", "umt5-xxl-test.safetensors"), TELLTALES.t5xxl!);
    },
  );
  page = session.page;
  await page.click("ed-tab-strip button.new");
  await page.click('ed-tab-strip .picker [data-app="video"]');
  await tab().waitFor();
}, 90_000);

afterAll(() => session?.close(), 30_000);

describe("a video, end to end", () => {
  test("Make video queues it; the progress shows; it plays, a frame at a time", async () => {
    await until(async () => (await field("model").locator("option").allTextContents()).includes("wan2.1-t2v-test.safetensors"), "the Wan model listed");
    await field("model").selectOption("wan2.1-t2v-test.safetensors");
    // The model list names the file's video family (models/video-family.ts): no "not identified" files here.
    expect(await tab().locator('[data-role="family-note"]').textContent()).not.toContain("not identified");
    await field("vae").selectOption("wan_2.1_vae.safetensors");
    await field("text_encoders").selectOption("umt5-xxl-test.safetensors");
    await field("prompt").fill("a lighthouse at dusk");
    await fill("width", "64");
    await fill("height", "64");
    await fill("frames", "5");
    await fill("steps", "4");
    await waitText(tab().locator('[data-role="frames-note"]'), "5 frames · 0.3 s at 16 fps");
    await tab().locator('[data-action="generate"]').click();
    await waitText(card().locator('[data-role="progress"]'), /^sampling · step \d \/ 4/, 30_000);
    // The stand-in decodes for 400 ms (upstream's "generating latent video completed" line first).
    await waitText(card().locator('[data-role="progress"]'), "decoding the frames…", 30_000);
    await card().locator("ed-video-player").waitFor({ timeout: 60_000 });
    expect(await card().getAttribute("data-state")).toBe("succeeded");
    const meta = await waitText(card().locator('[data-role="video-meta"]'), /64×64 · 5 frames at 16 fps/);
    expect(meta).toContain("made from the engine's AVI");
    const player = card().locator("ed-video-player");
    await waitText(player.locator('[data-role="frame"]'), /^frame \d \/ 5$/);
    await player.locator('[data-action="play"]').click(); // pause: it holds the frame on screen
    const paused = Number((await player.locator('[data-role="frame"]').textContent())!.match(/frame (\d)/)![1]);
    await player.locator('[data-action="frame-back"]').click();
    const at = Math.max(1, paused - 1);
    await waitText(player.locator('[data-role="frame"]'), `frame ${at} / 5`);
    // Two quick steps count from each other, not from a frame still being decoded.
    await player.locator('[data-action="frame-on"]').click();
    await player.locator('[data-action="frame-on"]').click();
    await waitText(player.locator('[data-role="frame"]'), `frame ${Math.min(5, at + 2)} / 5`);
    expect(await player.locator('[data-action="loop"]').getAttribute("aria-pressed")).toBe("true");
    // The frame on screen is the video's: the stand-in's frames are a gradient moved one pixel right per frame.
    const pixels = await player.locator("canvas").evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      return { width: c.width, height: c.height, lit: d.some((v, i) => i % 4 !== 3 && v > 0) };
    });
    expect(pixels).toEqual({ width: 64, height: 64, lit: true });
    // Download is the saved file under its own name.
    const download = player.locator('[data-action="download"]');
    const href = (await download.getAttribute("href"))!;
    expect(href).toMatch(/^\/api\/videos\/[^/]+$/);
    expect(await download.getAttribute("download")).toMatch(/\.webp$/);
    const res = await page.evaluate(async (u) => {
      const r = await fetch(u);
      const b = new Uint8Array(await r.arrayBuffer());
      return { type: r.headers.get("content-type"), riff: String.fromCharCode(...b.slice(0, 4)), webp: String.fromCharCode(...b.slice(8, 12)) };
    }, href);
    expect(res).toEqual({ type: "image/webp", riff: "RIFF", webp: "WEBP" });
    await page.screenshot({ path: join(SHOTS, "video-tab-result.png") });
  });

  test("Reuse settings puts the video's settings back, with its seed", async () => {
    await field("prompt").fill("something else");
    await fill("frames", "9");
    await card().locator('[data-action="reuse"]').click();
    await until(async () => (await field("prompt").inputValue()) === "a lighthouse at dusk", "the prompt restored");
    expect(await field("frames").inputValue()).toBe("5");
    expect(await field("random_seed").isChecked()).toBe(false);
    expect(await field("model").inputValue()).toBe("wan2.1-t2v-test.safetensors");
  });

  test("the Gallery shows it in its grid with its poster and length, plays it, and sends its settings to a Video tab", async () => {
    await page.click("ed-tab-strip button.new");
    await page.click('ed-tab-strip .picker [data-app="gallery"]');
    const gallery = page.locator("ed-shell section.pane:not([hidden]) ed-gallery-app");
    const kind = gallery.locator('ed-gallery-toolbar [data-filter="kind"]');
    // In the day grid, among the pictures: its poster's thumbnail, a play mark, its length.
    const cell = gallery.locator('ed-gallery-grid .cell:has([data-role="duration"])').first();
    await cell.waitFor();
    expect(await cell.locator('[data-role="duration"]').textContent()).toBe("0.3 s");
    await cell.locator(".play").waitFor();
    await until(async () => (await cell.locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)) === 64, "the poster's thumbnail");
    await page.screenshot({ path: join(SHOTS, "gallery-video-grid.png") });
    await kind.selectOption("picture");
    await waitText(gallery.locator("p.empty"), "No picture matches.");
    expect(await gallery.locator('ed-gallery-grid [data-role="duration"]').count()).toBe(0);
    await kind.selectOption("");
    await gallery.locator('ed-gallery-toolbar input[type="search"]').fill("kind:video lighthouse");
    await until(async () => (await kind.inputValue()) === "video", "kind:video sets the kind filter");
    await cell.waitFor();
    await gallery.locator('ed-gallery-toolbar input[type="search"]').fill("kind:video harbour");
    await waitText(gallery.locator("p.empty"), "No video matches.");
    expect(await gallery.locator('ed-gallery-grid [data-role="duration"]').count()).toBe(0);
    await gallery.locator('ed-gallery-toolbar input[type="search"]').fill("lighthouse");
    await cell.click();
    const viewer = gallery.locator("ed-gallery-video-viewer");
    await waitText(viewer.locator('[data-role="prompt"]'), "a lighthouse at dusk");
    await waitText(viewer.locator('ed-video-player [data-role="frame"]'), /^frame \d \/ 5$/);
    // Played from the Gallery's own routes.
    expect(await viewer.locator('ed-video-player [data-action="download"]').getAttribute("href")).toMatch(/^\/api\/gallery\/\d+\/file$/);
    await viewer.locator('[data-action="favourite"]').click();
    await until(async () => (await viewer.locator('[data-action="favourite"]').getAttribute("aria-pressed")) === "true", "a favourite");
    await page.screenshot({ path: join(SHOTS, "gallery-video.png") });
    await viewer.locator('[data-action="reuse"]').click();
    await until(async () => (await activeApp()) === "video", "a Video tab shown");
    await waitText(tab().locator('[data-role="notice"] span'), "Settings restored from the Gallery.");
    expect(await field("prompt").inputValue()).toBe("a lighthouse at dusk");
  });

  test('"Use frame as input" puts the frame in the Image tab as its init image', async () => {
    await card().locator('ed-video-player [data-action="use-frame"]').click();
    await until(async () => (await activeApp()) === "image", "the Image tab shown");
    const image = page.locator("ed-shell section.pane:not([hidden]) ed-image-app");
    await image.locator('[data-role="img2img"]').waitFor();
  });

  test("the task is removed; the video is deleted in the Gallery (with undo), and leaves the Video tab's list", async () => {
    await page.locator('ed-shell ed-tab-strip [role="tab"]', { hasText: "Video" }).first().click();
    await card().locator('[data-action="remove"]').click();
    await until(async () => (await tab().locator("ed-video-results article.card").count()) === 0, "the card gone");
    await page.locator('ed-shell ed-tab-strip [role="tab"]', { hasText: "Gallery" }).first().click();
    const gallery = page.locator("ed-shell section.pane:not([hidden]) ed-gallery-app");
    const listed = () => page.evaluate(async () => ((await (await fetch("/api/videos")).json()) as { videos: unknown[] }).videos.length);
    expect(await listed()).toBe(1);
    await gallery.locator('ed-gallery-video-viewer [data-action="delete"]').click();
    await waitText(gallery.locator('.toast[role="status"]'), /1 video moved to the trash/);
    await until(async () => (await gallery.locator('ed-gallery-grid [data-role="duration"]').count()) === 0, "the video gone from the grid");
    expect(await gallery.locator("ed-gallery-video-viewer").count()).toBe(0);
    expect(await listed()).toBe(0);
    await gallery.locator('.toast [data-action="undo"]').click();
    await gallery.locator('ed-gallery-grid [data-role="duration"]').first().waitFor();
    expect(await listed()).toBe(1);
    expect(session.pageErrors).toEqual([]);
  });
});
