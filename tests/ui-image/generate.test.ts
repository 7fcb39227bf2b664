/**
 * Generating from the Image workspace in real Chromium, through the real
 * app, queue and engine manager on the stand-in sd-server: Ctrl+Enter →
 * progress → picture; two tabs side by side; an incognito tab leaves nothing
 * on disk; the painted mask reaches the engine; the queue's pause, reorder,
 * cancel and stop; the result actions.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningApp } from "../../launcher/start";
import { png } from "../queue/images";
import { activeTab, dropFile, fieldValue, openGenerating, SHOTS, until, waitText, type GeneratingSession } from "./harness";

setDefaultTimeout(60_000);

let browser: Browser;
let app: RunningApp;
let page: Page;
let session: GeneratingSession;

const queue = () => activeTab(page).locator("ed-queue-panel");
const results = () => activeTab(page).locator("ed-results");
const api = async <T>(path: string, init?: RequestInit): Promise<T> => (await fetch(app.url.replace(/\/$/, "") + path, init)).json() as Promise<T>;
interface TaskView {
  id: string;
  state: string;
  incognito: boolean;
  images: { id: string; seed: number }[];
  request: Record<string, unknown>;
}
const tasks = async () => (await api<{ tasks: TaskView[] }>("/api/tasks")).tasks;

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

async function typePrompt(prompt: string, steps = 4) {
  const tab = activeTab(page);
  await tab.locator("textarea#prompt").fill(prompt);
  await tab.locator("input#steps").fill(String(steps));
  await tab.locator("input#width").fill("64");
  await tab.locator("input#height").fill("64");
}

/** Waits until this tab shows a loaded picture for the task with this prompt. */
async function waitForPicture(prompt: string) {
  const img = results().locator(`section.task[data-state="succeeded"]`, { hasText: prompt }).locator("figure img").first();
  await img.waitFor({ timeout: 30_000 });
  await until(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth === 64), `the picture for "${prompt}" loaded`, 15_000);
}

beforeAll(async () => {
  session = await openGenerating("ed-ui-gen", { stepMs: 150, startDelayMs: 100 });
  ({ browser, app, page } = session);
}, 60_000);

afterAll(() => session?.close(), 30_000);

describe("generating", () => {
  test("type a prompt, Ctrl+Enter: the queue shows step x / y, then the picture appears with its seed", async () => {
    await typePrompt("a lighthouse at dusk", 8);
    await activeTab(page).locator("textarea#prompt").press("Control+Enter");
    await waitText(queue().locator('li[data-state="running"] [data-role="progress"]'), /step [1-8] \/ 8/, 30_000);
    await waitForPicture("a lighthouse at dusk");
    const [task] = await tasks();
    expect(task).toMatchObject({ state: "succeeded", incognito: false });
    expect(task!.request.prompt).toBe("a lighthouse at dusk");
    const seed = task!.images[0]!.seed;
    await waitText(results().locator("figure .seed").first(), `Seed ${seed}`);
    await waitText(activeTab(page).locator('[data-role="last-seed"]'), `Last used: ${seed}`);
    expect(filesUnder(join(session.dataDir, "outputs")).length).toBe(1);
    await page.screenshot({ path: join(SHOTS, "generate-desktop.png") });
  });

  test("result actions: reuse settings fixes the seed, make similar queues a new seed, use as input sets the init image", async () => {
    const tab = activeTab(page);
    const seed = (await tasks())[0]!.images[0]!.seed;
    await results().locator('figure button[data-action="reuse"]').first().click();
    expect(await fieldValue(page, "seed")).toBe(String(seed));
    expect(await tab.locator('input[name="random_seed"]').isChecked()).toBe(false);
    await results().locator('figure button[data-action="similar"]').first().click();
    await until(async () => (await tasks()).length === 2 && (await tasks())[0]!.state === "succeeded", "the similar task done", 30_000);
    const similar = (await tasks())[0]!;
    expect(similar.request.prompt).toBe("a lighthouse at dusk");
    expect(similar.images[0]!.seed).not.toBe(seed);
    await results().locator('figure button[data-action="use-input"]').first().click();
    await tab.locator("details[data-group=inputs] img.thumb").waitFor();
    expect(await results().locator('figure a[data-action="download"]').first().getAttribute("download")).toMatch(/^ed-\d+-.+\.png$/);
    await tab.locator('button[data-action="remove-init"]').click();
  });

  test("dropping one of our own pictures back restores its exact request (our JSON chunk)", async () => {
    const tab = activeTab(page);
    const made = (await tasks()).find((t) => t.request.prompt === "a lighthouse at dusk")!;
    const bytes = new Uint8Array(await (await fetch(app.url.replace(/\/$/, "") + `/api/images/${made.images[0]!.id}`)).arrayBuffer());
    await tab.locator("textarea#prompt").fill("something else");
    await tab.locator("input#steps").fill("30");
    await dropFile(page, results(), bytes, "ours.png");
    await waitText(tab.locator(".notice span"), "Settings restored from the picture (Easy Diffusion).");
    expect(await tab.locator("textarea#prompt").inputValue()).toBe("a lighthouse at dusk");
    expect(await fieldValue(page, "steps")).toBe("8");
    expect(await fieldValue(page, "seed")).toBe(String(made.images[0]!.seed));
  });

  test("two Image tabs queue work side by side; each shows its own pictures", async () => {
    await page.click("ed-tab-strip button.new"); // "+" offers the tab apps
    await page.click('ed-tab-strip .picker [data-app="image"]');
    await activeTab(page).locator("textarea#prompt").waitFor();
    await until(async () => (await fieldValue(page, "model")) !== "", "tab 2's model");
    await typePrompt("tab two: a red fox");
    await activeTab(page).locator("button[data-action=generate]").click();
    await page.locator("ed-tab-strip [role=tab]", { hasText: "Image 1" }).click();
    await typePrompt("tab one: a blue bird");
    await activeTab(page).locator("button[data-action=generate]").click();
    // Both are in the shared queue at once.
    await until(async () => (await queue().locator("li", { hasText: /tab (one|two)/ }).count()) === 2, "both tasks in the queue");
    await waitForPicture("tab one: a blue bird");
    expect(await results().locator("section.task", { hasText: "tab two" }).count()).toBe(0);
    await page.locator("ed-tab-strip [role=tab]", { hasText: "Image 2" }).click();
    await waitForPicture("tab two: a red fox");
    expect(await results().locator("section.task").count()).toBe(1);
  });

  test("the mask painted in the editor reaches the engine with the init image", async () => {
    const tab = activeTab(page);
    await typePrompt("repaint the sky");
    if ((await tab.locator("details[data-group=inputs]").getAttribute("open")) === null) await tab.locator("details[data-group=inputs] > summary").click();
    await dropFile(page, tab.locator('[data-drop="init"]'), png(64, 64), "start.png");
    await tab.locator("button[data-action=mask]").click();
    const box = (await tab.locator("ed-mask-editor canvas").boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.2, { steps: 4 });
    await page.mouse.up();
    await tab.locator("button[data-action=mask]").click();
    await tab.locator('[data-role="mask-set"]').waitFor();
    await tab.locator("button[data-action=generate]").click();
    await waitForPicture("repaint the sky");
    const id = (await tasks()).find((t) => t.request.prompt === "repaint the sky")!.id;
    const full = await api<TaskView>(`/api/tasks/${id}?images=1`);
    expect(String(full.request.init_image)).toStartWith("data:image/png;base64,");
    expect(String(full.request.mask)).toStartWith("data:image/png;base64,");
    // The mask is white where the stroke went and black elsewhere, at the init image's size.
    const probe = await page.evaluate(async (mask) => {
      const img = new Image();
      img.src = mask;
      await img.decode();
      const c = Object.assign(document.createElement("canvas"), { width: img.width, height: img.height });
      const ctx = c.getContext("2d")!;
      ctx.drawImage(img, 0, 0);
      return [img.width, ctx.getImageData(32, 13, 1, 1).data[0], ctx.getImageData(32, 55, 1, 1).data[0]];
    }, String(full.request.mask));
    expect(probe).toEqual([64, 255, 0]);
    // Reusing that picture's settings brings its init image and mask back.
    await tab.locator('button[data-action="remove-init"]').click();
    await results().locator("section.task", { hasText: "repaint the sky" }).locator('button[data-action="reuse"]').click();
    await tab.locator('[data-role="mask-set"]').waitFor();
    expect(await tab.locator("details[data-group=inputs] img.thumb").isVisible()).toBe(true);
    await tab.locator('button[data-action="remove-init"]').click();
  });

  test("reference images and a control image with its ControlNet reach the engine", async () => {
    const tab = activeTab(page);
    await typePrompt("follow the edges");
    for (const details of [tab.locator("details[data-group=inputs]"), tab.locator("ed-image-inputs details")])
      if ((await details.getAttribute("open")) === null) await details.locator("> summary").click();
    await dropFile(page, tab.locator('[data-drop="ref"]'), png(32, 32), "ref.png");
    await dropFile(page, tab.locator('[data-drop="control"]'), png(64, 64), "edges.png");
    await tab.locator("select#controlnet").selectOption("canny.safetensors");
    await tab.locator("input#control_strength").fill("0.6");
    await tab.locator("button[data-action=generate]").click();
    await waitForPicture("follow the edges");
    const id = (await tasks()).find((t) => t.request.prompt === "follow the edges")!.id;
    const full = await api<TaskView>(`/api/tasks/${id}?images=1`);
    expect(full.request).toMatchObject({ controlnet: "canny.safetensors", control_strength: 0.6 });
    expect(String(full.request.control_image)).toStartWith("data:image/png;base64,");
    expect((full.request.ref_images as string[]).map((r) => r.slice(0, 22))).toEqual(["data:image/png;base64,"]);
    await tab.locator('button[aria-label="Remove control image"]').click();
    await tab.locator('button[aria-label="Remove reference 1"]').click();
    await tab.locator("select#controlnet").selectOption("");
  });

  test("the queue: pause, reorder and remove queued tasks, resume, and stop the running one (the engine restarts)", async () => {
    const tab = activeTab(page);
    await queue().locator("button[data-action=pause]").click();
    await waitText(queue().locator(".paused-note"), "Paused");
    for (const p of ["queued A", "queued B", "queued C"]) {
      await typePrompt(p, 20);
      await tab.locator("button[data-action=generate]").click();
      await queue().locator('li[data-state="queued"]', { hasText: p }).waitFor();
    }
    const queuedOrder = () => queue().locator('li[data-state="queued"] .prompt').allTextContents();
    expect(await queuedOrder()).toEqual(["queued A", "queued B", "queued C"]);
    await queue().locator('li[data-state="queued"]', { hasText: "queued C" }).locator("button[data-action=up]").click();
    await until(async () => (await queuedOrder()).join() === "queued A,queued C,queued B", "C moved up");
    // A queued task has one action: Remove (with Undo), which takes it out of the queue.
    await queue().locator('li[data-state="queued"]', { hasText: "queued B" }).locator("button[data-action=remove]").click();
    await until(async () => (await queuedOrder()).join() === "queued A,queued C", "B removed");
    await queue().locator("button[data-action=pause]").click();
    const running = queue().locator('li[data-state="running"]', { hasText: "queued A" });
    await waitText(running.locator('[data-role="progress"]'), /step \d+ \/ 20/, 30_000);
    await page.screenshot({ path: join(SHOTS, "queue-running.png") });
    await running.locator("button[data-action=stop]").click();
    await waitText(running.locator('[role="alertdialog"] > span').first(), /stopping restarts it/);
    await page.screenshot({ path: join(SHOTS, "queue-stop-confirm.png") });
    await running.locator("button[data-action=confirm-stop]").click();
    await waitText(queue().locator(".info"), /restarting the engine/);
    await until(async () => (await tasks()).find((t) => t.request.prompt === "queued A")?.state === "cancelled", "A stopped");
    // The next one runs on the restarted engine.
    await until(async () => (await tasks()).find((t) => t.request.prompt === "queued C")?.state === "succeeded", "C done after the restart", 40_000);
    // B never ran: removed from the queue (cancelled by its removal, and no longer listed).
    expect((await tasks()).find((t) => t.request.prompt === "queued B")?.state ?? "cancelled").toBe("cancelled");
  });

  test("an incognito tab generates but leaves nothing on disk", async () => {
    const before = filesUnder(session.dataDir).filter((f) => f.includes(`${join(session.dataDir, "outputs")}`));
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [data-command="new-incognito-tab"]');
    await activeTab(page).locator(".incognito").waitFor();
    await until(async () => (await fieldValue(page, "model")) !== "", "the incognito tab's model");
    await typePrompt("a secret garden xyzzy");
    await activeTab(page).locator("textarea#prompt").press("Control+Enter");
    await waitForPicture("a secret garden xyzzy");
    expect((await tasks()).find((t) => t.request.prompt === "a secret garden xyzzy")?.incognito).toBe(true);
    await page.setViewportSize({ width: 390, height: 700 });
    await page.screenshot({ path: join(SHOTS, "generate-phone.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    // A barrier, not a pause: a change in the saved tab is written after every earlier save (one PUT at a time, in
    // order) and each save is the whole tab list; once it is on disk, whatever the incognito tab caused is too.
    await page.locator("ed-tab-strip [role=tab]:not(.incognito)").first().click();
    await activeTab(page).locator("textarea#prompt").fill("a later, saved prompt");
    await until(() => existsSync(session.app.paths.uiState) && readFileSync(session.app.paths.uiState, "utf8").includes("a later, saved prompt"), "the saved tab's change on disk");
    const after = filesUnder(session.dataDir);
    expect(after).toContain(session.app.paths.uiState);
    expect(after.filter((f) => f.includes(join(session.dataDir, "outputs")))).toEqual(before);
    for (const file of after) expect(readFileSync(file).includes("secret garden xyzzy")).toBe(false);
    expect(session.pageErrors).toEqual([]);
  });
});
