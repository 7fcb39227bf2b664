/**
 * A starter download that cannot start, in real Chromium (1280×800 and
 * 390×844): the host does not resolve (an .invalid name), refuses the
 * connection (a closed port) or cuts it (a socket that closes at once). Within
 * a few seconds of the first failed try the card, the status bar and the
 * Downloads row say in words what happened and when the next try comes
 * ("try 2 of 6"); the button stays disabled (no second download of the same
 * file, and the server refuses one); after the last try the card offers Retry,
 * the Downloads row shows the reason with Retry and Remove and a still bar.
 * The resolver's own words (getaddrinfo ENOTFOUND) are never on screen.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Page } from "playwright-core";
import { activeTab, until, waitText, type GeneratingSession } from "../ui-image/harness";
import { catalogYaml, openFirstRun } from "./catalog";

setDefaultTimeout(60_000);

/** Every text on the page, shadow roots included. */
function deepText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walk = (root: Node) => {
      for (const n of Array.from(root.childNodes)) {
        if (n.nodeType === Node.TEXT_NODE) out.push(n.textContent ?? "");
        else if (n instanceof Element) {
          if (n.shadowRoot) walk(n.shadowRoot);
          for (const a of ["title", "aria-label"]) if (n.getAttribute(a)) out.push(n.getAttribute(a)!);
          walk(n);
        }
      }
    };
    walk(document.body);
    return out.join(" ").replace(/\s+/g, " ");
  });
}

const RAW = /getaddrinfo|ENOTFOUND|ECONNREFUSED|ECONNRESET|EAI_AGAIN|Unable to connect|socket connection/i;

const entry = (id: string, title: string, url: string, name: string) => ({ id, title, description: "Pictures of almost anything at 512×512.", url, name, size: 2_000_000 });

describe("a starter download while offline (the host does not resolve)", () => {
  let session: GeneratingSession;
  let page: Page;
  beforeAll(async () => {
    session = await openFirstRun("ed-ui-offline", catalogYaml([entry("sd15", "Stable Diffusion 1.5", "http://nonexistent.invalid/sd15.safetensors", "sd15-offline.safetensors")]), "", { retries: 5, backoffMs: 400 });
    page = session.page;
  });
  afterAll(async () => {
    await session?.close();
  });

  test("within a few seconds the card and the status bar say the host can't be reached, and when the next try is", async () => {
    const card = activeTab(page).locator('ed-catalog-card .card[data-catalog="sd15"]');
    await card.waitFor();
    const started = Date.now();
    await card.locator('[data-action="download"]').click();
    const text = await waitText(card.locator("[data-progress] [data-state]"), /^Can't reach nonexistent\.invalid — is this computer offline\? · retrying (in \d+ s|now) \(try [2-6] of 6\)$/, 5000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(text).toContain("is this computer offline?");
    // One download per file: the button stays disabled, and the server refuses a second one.
    expect(await card.locator('[data-action="download"]').isDisabled()).toBe(true);
    const again = await page.request.post(new URL("/api/models/download", session.app.url).href, { data: { catalog: "sd15" } });
    expect(again.status()).toBe(409);
    await waitText(page.locator("ed-download-meter .text"), /^Can't reach nonexistent\.invalid — is this computer offline\? · retrying/, 3000);
    expect(RAW.test(await deepText(page))).toBe(false);
  });

  test("after the last try: the card says why and offers Retry; the status bar keeps the reason", async () => {
    const card = activeTab(page).locator('ed-catalog-card .card[data-catalog="sd15"]');
    await waitText(card.locator('[role="alert"]'), /^Can't reach nonexistent\.invalid — is this computer offline\?: sd15-offline\.safetensors was not downloaded \(gave up after 6 tries\)$/, 30_000);
    await waitText(card.locator('[data-action="download"]'), "Retry");
    expect(await card.locator('[data-action="download"]').isDisabled()).toBe(false);
    await waitText(page.locator("ed-download-meter .text"), /^Model sd15-offline\.safetensors failed: Can't reach nonexistent\.invalid/);
    expect(RAW.test(await deepText(page))).toBe(false);
  });

  test("the Model Browser's Starter page shows the failed download with Retry", async () => {
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [role=menuitem][data-command="app:model-browser"]');
    const view = page.locator("ed-shell section.pane:not([hidden]) ed-models-app");
    await view.locator('nav [data-view="starter"]').click();
    const card = view.locator('ed-catalog-card .card[data-catalog="sd15"]');
    await waitText(card.locator('[role="alert"]'), /^Can't reach nonexistent\.invalid — is this computer offline\?/);
    await waitText(card.locator('[data-action="download"]'), "Retry");
  });

  test("the Downloads row: Failed, the reason, Retry and Remove, a still bar", async () => {
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [data-command="app:downloads"]');
    const row = page.locator("ed-downloads-app ed-download-row").first();
    await waitText(row.locator(".phase"), "Failed");
    await waitText(row.locator("[data-reason]"), /^Can't reach nonexistent\.invalid — is this computer offline\?/);
    expect(await row.locator('[data-action="retry"]').count()).toBe(1);
    expect(await row.locator('[data-action="remove"]').count()).toBe(1);
    expect(await row.locator(".bar").evaluate((b) => b.classList.contains("unknown"))).toBe(false);
    expect(await row.locator(".fill").evaluate((f) => getComputedStyle(f).animationName)).toBe("none");
    expect(RAW.test(await deepText(page))).toBe(false);
    // Retry asks again: the row counts its tries from the start.
    await row.locator('[data-action="retry"]').click();
    await waitText(row.locator(".phase"), /^(Starting…|Waiting to retry)$/, 5000);
    await waitText(row.locator(".phase"), "Failed", 30_000);
    // Remove takes it off the list (and off the status bar).
    await row.locator('[data-action="remove"]').click();
    await until(async () => (await page.locator("ed-downloads-app ed-download-row").count()) === 0, "the row removed");
    await until(async () => (await page.locator("ed-download-meter").count()) === 0, "the status bar reason gone");
    expect(session.pageErrors).toEqual([]);
  });
});

describe("on a phone (390×844): a refused and a cut connection", () => {
  let session: GeneratingSession;
  let page: Page;
  let cutter: Bun.TCPSocketListener<undefined>;
  let refusedPort: number;
  beforeAll(async () => {
    cutter = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { open: (s) => void s.end(), data() {} } });
    const closed = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    refusedPort = closed.port;
    closed.stop(true);
    session = await openFirstRun(
      "ed-ui-offline-phone",
      catalogYaml([
        entry("sd15", "Stable Diffusion 1.5", `http://127.0.0.1:${refusedPort}/sd15.safetensors`, "sd15-refused.safetensors"),
        entry("sdxl-turbo", "SDXL Turbo", `http://127.0.0.1:${cutter.port}/turbo.safetensors`, "turbo-cut.safetensors"),
      ]),
      "",
      { retries: 5, backoffMs: 300 },
    );
    page = session.page;
    await page.setViewportSize({ width: 390, height: 844 });
  });
  afterAll(async () => {
    await session?.close();
    cutter?.stop(true);
  });

  test("refused: the card says the host can't be reached, then failed with Retry; the page stays phone-wide", async () => {
    const card = activeTab(page).locator('ed-catalog-card .card[data-catalog="sd15"]');
    await card.waitFor();
    await card.locator('[data-action="download"]').click();
    await waitText(card.locator("[data-progress] [data-state]"), new RegExp(`^Can't reach 127\\.0\\.0\\.1:${refusedPort} — is this computer offline\\? · retrying`), 5000);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await waitText(card.locator('[role="alert"]'), /gave up after 6 tries\)$/, 30_000);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(RAW.test(await deepText(page))).toBe(false);
  });

  test("cut: the connection was cut off, in words", async () => {
    await activeTab(page).locator("ed-first-run details summary").click();
    const card = activeTab(page).locator('ed-catalog-card .card[data-catalog="sdxl-turbo"]');
    await card.locator('[data-action="download"]').click();
    await waitText(card.locator("[data-progress] [data-state]"), new RegExp(`^The connection to 127\\.0\\.0\\.1:${cutter.port} was cut off · retrying`), 5000);
    expect(RAW.test(await deepText(page))).toBe(false);
    expect(session.pageErrors).toEqual([]);
  });
});
