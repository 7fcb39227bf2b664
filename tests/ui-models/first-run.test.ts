/**
 * First run in real Chromium: with no usable model the Image tab shows the
 * starter model recommended for this machine (size, what it is good at,
 * licence, one Download button, other starters one click away); Download
 * shows progress in the card, the status bar and the Downloads tab; when the
 * file is in place it is selected and a picture generates on the stand-in
 * engine. The catalog and download routes are the real ones (models/net),
 * given a test catalogue whose file comes from a local server and a CPU-only
 * machine. Screenshots go to $TMPDIR/ed-ui-models-shots.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { TELLTALES, writeSafetensors } from "../models/fixtures";
import { activeTab, fieldValue, tempDataDir, until, waitText, type GeneratingSession } from "../ui-image/harness";
import { catalogYaml, openFirstRun } from "./catalog";

setDefaultTimeout(60_000);

const SHOTS = join(tmpdir(), "ed-ui-models-shots");
mkdirSync(SHOTS, { recursive: true });

let session: GeneratingSession;
let page: Page;
let files: ReturnType<typeof Bun.serve>;
const source = tempDataDir("ed-ui-first-run-files-");

beforeAll(async () => {
  // A real (sparse) SD 1.5 header the library recognises, served in small slices so progress shows.
  const model = join(source.dir, "tiny-sd15.safetensors");
  writeSafetensors(model, TELLTALES.sd1!);
  const bytes = readFileSync(model);
  files = Bun.serve({
    port: 0,
    fetch: () =>
      new Response(
        new ReadableStream({
          async pull(ctl) {
            for (let at = 0; at < bytes.length; at += 4 * 1024 * 1024) {
              ctl.enqueue(bytes.subarray(at, at + 4 * 1024 * 1024));
              await Bun.sleep(20);
            }
            ctl.close();
          },
        }),
        { headers: { "content-length": String(bytes.length) } },
      ),
  });
  const url = `http://127.0.0.1:${files.port}/tiny-sd15.safetensors`;
  const entry = (id: string, title: string, name: string) => ({ id, title, description: "Pictures of almost anything at 512×512; quick on a CPU.", url, name, size: bytes.length });
  session = await openFirstRun("ed-ui-first-run", catalogYaml([entry("sd15", "Stable Diffusion 1.5", "sd15-tiny.safetensors"), entry("sdxl-turbo", "SDXL Turbo", "sdxl-turbo-tiny.safetensors")]));
  page = session.page;
}, 60_000);

afterAll(async () => {
  await session?.close();
  files?.stop(true);
  source.remove();
}, 30_000);

describe("first run", () => {
  test("no model: the recommended starter is offered with its size, use, licence and one Download button", async () => {
    const card = activeTab(page).locator('ed-first-run ed-catalog-card .card[data-catalog="sd15"]');
    await card.waitFor();
    const text = (await card.textContent())!.replace(/\s+/g, " ");
    expect(text).toContain("Stable Diffusion 1.5");
    expect(text).toContain("76.3 MB");
    expect(text).toContain("quick on a CPU");
    expect(text).toContain("CreativeML OpenRAIL-M");
    expect(text).toContain("without a GPU, SD 1.5 is the model that makes pictures in reasonable time");
    expect(await card.locator('[data-action="download"]').count()).toBe(1);
    expect(await activeTab(page).locator("ed-first-run details summary").textContent()).toBe("Other starter models (1)");
    expect(await fieldValue(page, "model")).toBe("");
    await page.screenshot({ path: join(SHOTS, "first-run-card.png") });
  });

  test("Download shows progress in the card and the status bar, then selects the model and a picture generates", async () => {
    const card = activeTab(page).locator("ed-first-run ed-catalog-card").first();
    await card.locator('[data-action="download"]').click();
    await waitText(page.locator("ed-download-meter .text"), /^(Downloading model sd15-tiny\.safetensors \d+%|Model sd15-tiny\.safetensors installed)/, 20_000);
    await page.screenshot({ path: join(SHOTS, "first-run-downloading.png") });
    await until(async () => (await fieldValue(page, "model").catch(() => "")) === "sd15-tiny.safetensors", "the downloaded model selected", 30_000);
    expect(existsSync(join(session.dataDir, "models", "stable-diffusion", "sd15-tiny.safetensors"))).toBe(true);
    await until(async () => (await activeTab(page).locator("ed-first-run").count()) === 0, "the first-run card gone");
    await activeTab(page).locator("textarea#prompt").fill("a lighthouse at dusk");
    await activeTab(page).locator('[data-action="generate"]').click();
    await activeTab(page).locator("ed-results img").first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, "first-run-picture.png") });
  });

  test("the Downloads tab names the model download", async () => {
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [data-command="app:downloads"]');
    const row = page.locator("ed-downloads-app ed-download-row").first();
    await waitText(row.locator(".name"), "sd15-tiny.safetensors");
    expect(await row.locator(".kind").textContent()).toBe("model");
    await waitText(row.locator(".phase"), "Installed");
    await page.screenshot({ path: join(SHOTS, "downloads-model.png") });
    expect(session.pageErrors).toEqual([]);
  });
});
