/**
 * The Model Browser's Search while offline, in real Chromium (1280×800 and
 * 390×844): before a search the page says what can be searched and offers
 * example searches; an example (or a search) against a Civitai / Hugging Face
 * base that does not resolve answers with a sentence naming the site and the
 * host, without the resolver's words (getaddrinfo ENOTFOUND).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Page } from "playwright-core";
import { waitText, type GeneratingSession } from "../ui-image/harness";
import { catalogYaml, openFirstRun } from "./catalog";

setDefaultTimeout(60_000);

const RAW = /getaddrinfo|ENOTFOUND|EAI_AGAIN|Unable to connect|could not be reached/i;
let session: GeneratingSession;
let page: Page;
const browserView = () => page.locator("ed-shell section.pane:not([hidden]) ed-models-app");

beforeAll(async () => {
  const starter = { id: "sd15", title: "Stable Diffusion 1.5", description: "Pictures.", url: "http://files.invalid/sd15.safetensors", name: "sd15.safetensors", size: 1000 };
  session = await openFirstRun("ed-ui-search-offline", catalogYaml([starter]), "models:\n  civitai_base: http://civitai.invalid\n  huggingface_base: http://hf.invalid\n");
  page = session.page;
});

afterAll(async () => {
  await session?.close();
});

describe("Search offline", () => {
  for (const size of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    test(`${size.width}×${size.height}: the empty page says what can be searched; offline is a sentence without resolver words`, async () => {
      await page.setViewportSize(size);
      await page.reload();
      await page.waitForSelector("body[data-ready='1']", { state: "attached" });
      await page.click("ed-main-menu .trigger");
      await page.click('ed-main-menu [role=menuitem][data-command="app:model-browser"]');
      await browserView().locator('nav [data-view="search"]').click();
      const view = browserView().locator("ed-search-view");
      const intro = view.locator("[data-intro]");
      const text = (await intro.innerText()).replace(/\s+/g, " ");
      expect(text).toContain("Search Civitai or Hugging Face for checkpoints, LoRAs");
      expect(await intro.locator("[data-example]").count()).toBeGreaterThanOrEqual(3);
      if (size.width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      // An example fills the form and searches.
      await intro.locator('[data-example="anime"]').click();
      await waitText(view.locator("[role=alert]"), "Civitai can't be searched now. Can't reach civitai.invalid — is this computer offline?");
      expect(await view.locator('input[name="q"]').inputValue()).toBe("anime");
      await view.locator('select[name="source"]').selectOption("huggingface");
      await view.locator('[data-action="search"]').click();
      await waitText(view.locator("[role=alert]"), "Hugging Face can't be searched now. Can't reach hf.invalid — is this computer offline?");
      expect(RAW.test(await view.innerText())).toBe(false);
      if (size.width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    });
  }
  test("no page errors", () => expect(session.pageErrors).toEqual([]));
});
