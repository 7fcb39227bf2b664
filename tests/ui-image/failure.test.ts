/**
 * When the engine crashes mid-task: the Image tab and the queue say why the
 * task failed, and Retry runs it again on the restarted engine; the retry's
 * picture shows in the same tab. Real app, queue and engine manager on the
 * stand-in set to crash once at step 2.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { activeTab, openGenerating, SHOTS, waitText, type GeneratingSession } from "./harness";

setDefaultTimeout(60_000);

let page: Page;
let session: GeneratingSession;

beforeAll(async () => {
  // Crashes on the first start only (counted in a file), so the retry runs on a healthy engine.
  session = await openGenerating("ed-ui-fail", (root) => ({ fault: "crash-at-step", faultStep: 2, faultTimes: 1, counterFile: join(root, "starts") }));
  page = session.page;
}, 60_000);

afterAll(() => session?.close(), 30_000);

describe("a failed task", () => {
  test("shows why it failed, and Retry makes the picture in the same tab", async () => {
    const tab = activeTab(page);
    await tab.locator("textarea#prompt").fill("a crash course");
    await tab.locator("input#steps").fill("4");
    await tab.locator("input#width").fill("64");
    await tab.locator("input#height").fill("64");
    await tab.locator("textarea#prompt").press("Control+Enter");
    const failed = tab.locator('ed-queue-panel li[data-state="failed"]');
    await failed.waitFor({ timeout: 40_000 });
    const reason = (await failed.locator(".error").textContent())!.trim();
    expect(reason.length).toBeGreaterThan(5);
    await waitText(tab.locator('ed-results [data-state="failed"] .pending'), /^Failed: .+ Retry$/);
    await page.screenshot({ path: join(SHOTS, "task-failed.png") });
    // Retry from the results (the queue panel has the same button).
    await tab.locator('ed-results [data-state="failed"] button[data-action=retry]').click();
    const img = tab.locator('ed-results section.task[data-state="succeeded"] figure img');
    await img.waitFor({ timeout: 40_000 });
    // Both the failed task and its retry belong to this tab.
    expect(await tab.locator("ed-results section.task").count()).toBe(2);
  });
});
