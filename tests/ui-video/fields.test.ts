/**
 * The Video tab in real Chromium on the real app (models, queue and the
 * stand-in engine's services): it is offered by "+" and the ⋮ menu, its code
 * arrives only when it opens, and each family's fields appear and go — the
 * companions (clip_vision, high-noise model, motion module, …), the start
 * and end images, VACE's control frames, Speed for DiTs only — with the
 * family's sizes, frames (as seconds, the 4n+1 / 8n+1 note) and reasons.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { TELLTALES, writeSafetensors } from "../models/fixtures";
import { generateServices, openSession, SHOTS, until, waitText, type GeneratingSession } from "../ui-image/harness";

setDefaultTimeout(60_000);

let session: GeneratingSession;
let page: Page;
const tab = () => page.locator("ed-shell section.pane:not([hidden]) ed-video-app");
const field = (name: string): Locator => tab().locator(`[name="${name}"]`);
/** The names of the form's fields on screen now. */
const shown = () =>
  tab().evaluate((app) => {
    const names: string[] = [];
    const walk = (root: ShadowRoot | null) => {
      if (!root) return;
      for (const el of Array.from(root.querySelectorAll("[name]"))) names.push(el.getAttribute("name")!);
      for (const el of Array.from(root.querySelectorAll("*"))) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(app.shadowRoot);
    return names;
  });
const chooseFamily = (id: string) => field("family").selectOption(id);

beforeAll(async () => {
  session = await openSession("ed-ui-video", (root) => generateServices(root, { stepMs: 20 }), (dataDir) => {
    const dir = join(dataDir, "models", "diffusion_models");
    mkdirSync(dir, { recursive: true });
    writeSafetensors(join(dir, "wan-test.safetensors"), TELLTALES.wan!);
  });
  page = session.page;
}, 60_000);

afterAll(() => session?.close(), 30_000);

describe("the Video tab", () => {
  test('"+" and the menu offer it; its code loads when it opens, not before', async () => {
    expect(await page.evaluate(() => !!customElements.get("ed-video-app"))).toBe(false);
    await page.click("ed-tab-strip button.new");
    await page.click('ed-tab-strip .picker [data-app="video"]');
    await tab().waitFor();
    expect(await page.evaluate(() => !!customElements.get("ed-video-app"))).toBe(true);
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [role=menuitem][data-command="app:video"]');
    await until(async () => (await page.locator('ed-shell section.pane[data-app="video"]').count()) === 2, "a second Video tab");
  });

  test("each family shows the files and pictures it takes, and only those", async () => {
    await chooseFamily("wan2.1-t2v");
    let names = await shown();
    for (const n of ["prompt", "negative_prompt", "model", "vae", "text_encoders", "width", "height", "frames", "seconds", "fps", "steps", "cfg_scale"])
      expect(names).toContain(n);
    for (const n of ["sampler", "seed", "speed"]) expect(names).toContain(n);
    for (const n of ["clip_vision", "high_noise_model", "motion_module", "start_image", "end_image", "control_frames"]) expect(names).not.toContain(n);
    // The identified-as-Wan file (not refined to a video family) is offered for Wan.
    expect(await field("model").locator("option").allTextContents()).toContain("wan-test.safetensors");

    await chooseFamily("wan2.1-i2v");
    names = await shown();
    expect(names).toContain("clip_vision");
    expect(names).toContain("start_image");
    expect(names).not.toContain("end_image");

    await chooseFamily("wan2.1-flf2v");
    names = await shown();
    expect(names).toContain("start_image");
    expect(names).toContain("end_image");
    await page.screenshot({ path: join(SHOTS, "video-tab-flf2v.png") });

    await chooseFamily("wan2.1-vace");
    names = await shown();
    expect(names).toContain("control_frames");
    expect(names).not.toContain("clip_vision");
    expect(await tab().locator('[data-field="start_image"] .label').textContent()).toContain("Reference picture");

    await chooseFamily("wan2.2-t2v-a14b");
    names = await shown();
    expect(names).toContain("high_noise_model");
    expect(names).not.toContain("control_frames");
    expect(names).not.toContain("start_image");

    await chooseFamily("hunyuan-video-1.5");
    expect(await shown()).toContain("text_encoders_2");

    await chooseFamily("animatediff");
    names = await shown();
    expect(names).toContain("motion_module");
    expect(names).not.toContain("speed"); // a UNet: no step caching choice
    expect(names).not.toContain("text_encoders");
    expect(names).not.toContain("high_noise_model");
    expect(await field("model").locator("option").allTextContents()).not.toContain("wan-test.safetensors");
    // No SD 1.5 checkpoint here: the tab says so and points at the Model Browser.
    await waitText(tab().locator('[data-role="no-model"]'), /No AnimateDiff .* model is installed/);
    expect(await waitText(tab().locator('[data-role="limits"]'), /128–768 px in steps of 64 .*aborts below 128×128\); 1–32 frames \(any count; at most 32: the motion module holds 32 frames\)/)).toContain("AnimateDiff");
  });

  test("frames: the family's defaults, seconds at the fps, and the note when the engine makes another count", async () => {
    await chooseFamily("wan2.1-t2v");
    expect(await field("frames").inputValue()).toBe("33");
    expect(await field("fps").inputValue()).toBe("16");
    await waitText(tab().locator('[data-role="frames-note"]'), "33 frames · 2.1 s at 16 fps");
    await field("frames").fill("34");
    await field("frames").dispatchEvent("change");
    await waitText(tab().locator('[data-role="frames-note"]'), /^makes 33 frames · 2\.1 s at 16 fps: .*4n\+1/);
    await field("seconds").fill("5");
    await field("seconds").dispatchEvent("change");
    expect(await field("frames").inputValue()).toBe("81");

    await chooseFamily("ltx2");
    expect(await field("fps").inputValue()).toBe("24");
    await field("frames").fill("40");
    await field("frames").dispatchEvent("change");
    await waitText(tab().locator('[data-role="frames-note"]'), /^makes 33 frames .*8n\+1/);
  });

  test("Make video checks first: sizes off the family's blocks and missing files are said, with the reason", async () => {
    await chooseFamily("wan2.1-i2v");
    await field("width").fill("500");
    await field("width").dispatchEvent("change");
    await tab().locator('[data-action="generate"]').click();
    await waitText(tab().locator('[data-role="error"]'), /Choose a model first|Please fix/);
    const problem = (name: string) => tab().locator(`[data-field="${name}"] .problem, .field:has([name="${name}"]) .problem`).first();
    expect(await problem("width").textContent()).toContain("not a multiple of 16");
    expect(await problem("width").textContent()).toContain("use 496 or 512");
    expect(await problem("clip_vision").textContent()).toContain("needs a clip_vision file");
    expect(await problem("start_image").textContent()).toContain("starts from a picture");
    // Fixing a field clears its problem at once.
    await field("width").fill("512");
    await field("width").dispatchEvent("change");
    await until(async () => (await tab().locator('.field:has([name="width"]) .problem').count()) === 0, "the width's problem gone");
    expect(session.pageErrors).toEqual([]);
  });

  test("the form is the tab's state: after a reload the tab comes back with its family, prompt and length", async () => {
    await chooseFamily("ltx2");
    await field("prompt").fill("waves on a pier");
    await field("frames").fill("41");
    await field("frames").dispatchEvent("change");
    const saved = () => (existsSync(session.app.paths.uiState) ? readFileSync(session.app.paths.uiState, "utf8") : "");
    await until(() => saved().includes("waves on a pier") && saved().includes('"frames":41'), "the Video tab's form saved");
    await page.reload();
    await page.waitForSelector("body[data-ready='1']", { state: "attached" });
    await page.locator('ed-shell ed-tab-strip [role="tab"]', { hasText: "Video" }).last().click();
    await until(async () => (await field("prompt").inputValue().catch(() => "")) === "waves on a pier", "the prompt restored");
    expect(await field("family").inputValue()).toBe("ltx2");
    expect(await field("frames").inputValue()).toBe("41");
  });
});
