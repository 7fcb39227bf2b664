/**
 * Prompt power in real Chromium on the stand-in engine: the count of tasks a
 * {set}/matrix prompt makes shows before queueing, over 1,000 is refused,
 * wildcards come from the data folder's wildcards/*.txt, "Load prompts from a
 * file" queues one task per line, and each picture's metadata holds its
 * expanded prompt. The embeddings menu inserts a trigger at the cursor of
 * the prompt or the negative prompt. Seamless tiling reaches the task and
 * its pictures open in a 3×3 tile preview. "Upscale ×2" on a picture queues
 * an upscale of that picture (sd-cli): a new picture twice its size.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { TELLTALES, writeSafetensors } from "../models/fixtures";
import { writeEsrgan } from "../upscale/fixtures";
import { pngSize, readPngText } from "../../pictures/metadata/png";
import { activeTab, fieldValue, openGenerating, SHOTS, until, waitText, type GeneratingSession } from "./harness";

setDefaultTimeout(90_000);

let session: GeneratingSession;
let page: Page;

interface TaskView {
  id: string;
  state: string;
  request: { prompt: string };
}
const tasks = async () =>
  ((await (await fetch(session.app.url.replace(/\/$/, "") + "/api/tasks")).json()) as { tasks: TaskView[] }).tasks;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

beforeAll(async () => {
  session = await openGenerating("ed-ui-prompts", { stepMs: 20, startDelayMs: 20 });
  page = session.page;
  mkdirSync(join(session.dataDir, "wildcards"), { recursive: true });
  writeFileSync(join(session.dataDir, "wildcards", "animal.txt"), "snowy owl\n");
  mkdirSync(join(session.dataDir, "models", "embeddings"), { recursive: true });
  writeSafetensors(join(session.dataDir, "models", "embeddings", "bad-hands.safetensors"), TELLTALES.embedding!);
  writeFileSync(join(session.dataDir, "modifiers.txt"), "[My looks]\nfoggy harbour\n");
  mkdirSync(join(session.dataDir, "models", "realesrgan"), { recursive: true });
  writeEsrgan(join(session.dataDir, "models", "realesrgan", "RealESRGAN_x4plus.safetensors"), 4);
  await fetch(session.app.url.replace(/\/$/, "") + "/api/models/rescan", { method: "POST" });
  await page.reload();
  await until(async () => (await fieldValue(page, "model").catch(() => "")) !== "", "a model selected");
  const tab = activeTab(page);
  await tab.locator("input#steps").fill("2");
  await tab.locator("input#width").fill("64");
  await tab.locator("input#height").fill("64");
}, 60_000);

afterAll(() => session?.close(), 30_000);

test("the count shows before queueing; over 1,000 is refused with Generate off", async () => {
  const tab = activeTab(page);
  await tab.locator("textarea#prompt").fill("a {red,blue} car | at night");
  await waitText(tab.locator('[data-role="prompt-count"]'), "Queues 4 tasks");
  const ten = "{0,1,2,3,4,5,6,7,8,9}";
  await tab.locator("textarea#prompt").fill(`${ten}${ten}${ten}${ten}`);
  await waitText(tab.locator('[data-role="prompt-count"]'), /10000 prompts: the most is 1000/);
  expect(await tab.locator('button[data-action="generate"]').isDisabled()).toBe(true);
  await tab.locator("textarea#prompt").fill("a {cat");
  await waitText(tab.locator('[data-role="prompt-count"]'), /has no "\}"/);
  await page.screenshot({ path: join(SHOTS, "prompt-count-problem.png") });
});

test("a set and a wildcard queue one task each, the expanded prompt in each picture's metadata", async () => {
  const tab = activeTab(page);
  await tab.locator("textarea#prompt").fill("a {red,blue} __animal__");
  await waitText(tab.locator('[data-role="prompt-count"]'), "Queues 2 tasks");
  await page.screenshot({ path: join(SHOTS, "prompt-count.png") });
  await tab.locator('button[data-action="generate"]').click();
  await until(async () => (await tasks()).filter((t) => t.state === "succeeded").length === 2, "two tasks done", 60_000);
  expect((await tasks()).map((t) => t.request.prompt).sort()).toEqual(["a blue snowy owl", "a red snowy owl"]);
  const files = filesUnder(join(session.dataDir, "outputs")).filter((f) => /\.(png|jpe?g|webp)$/.test(f));
  expect(files).toHaveLength(2);
  const texts = files.map((f) => readFileSync(f).toString("latin1"));
  expect(texts.some((t) => t.includes("a red snowy owl"))).toBe(true);
  expect(texts.some((t) => t.includes("a blue snowy owl"))).toBe(true);
});

test("Load prompts from a file: one task per line, until the file is forgotten", async () => {
  const tab = activeTab(page);
  const before = (await tasks()).length;
  await tab.locator('input[name="prompt_file"]').setInputFiles({
    name: "prompts.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("a lighthouse\n\n# skipped\na {small,big} boat\n"),
  });
  await waitText(tab.locator('[data-role="prompt-file"]'), /prompts\.txt · 2 prompts/);
  await waitText(tab.locator('[data-role="prompt-count"]'), "Queues 3 tasks");
  await page.screenshot({ path: join(SHOTS, "prompt-file.png") });
  await tab.locator('button[data-action="generate"]').click();
  await until(async () => (await tasks()).length === before + 3, "three more tasks", 30_000);
  const added = (await tasks()).map((t) => t.request.prompt);
  for (const p of ["a lighthouse", "a small boat", "a big boat"]) expect(added).toContain(p);
  await tab.locator('[data-role="prompt-file"] button').click();
  expect(await tab.locator('[data-role="prompt-file"]').count()).toBe(0);
  expect(session.pageErrors).toEqual([]);
});

test("the embeddings menu inserts the trigger at the cursor, in the prompt or the negative prompt", async () => {
  const tab = activeTab(page);
  const prompt = tab.locator("textarea#prompt");
  await prompt.fill("a portrait, sharp");
  await prompt.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(10, 10)); // after "a portrait"
  const pickers = tab.locator('ed-prompt-box ed-embedding-picker select[data-role="embeddings"]');
  await until(async () => (await pickers.count()) === 2, "two embedding menus");
  await pickers.first().selectOption("bad-hands.safetensors");
  await until(async () => (await prompt.inputValue()) === "a portrait bad-hands, sharp", "the trigger in the prompt");
  const negative = tab.locator("textarea#negative");
  await negative.fill("blurry");
  await pickers.nth(1).selectOption("bad-hands.safetensors");
  await until(async () => (await negative.inputValue()) === "blurry bad-hands", "the trigger in the negative prompt");
  expect(await pickers.first().inputValue()).toBe("");
  await page.screenshot({ path: join(SHOTS, "embeddings.png") });
});

test("seamless tiling: the task asks for it and its picture opens tiled 3×3", async () => {
  const tab = activeTab(page);
  await tab.locator("textarea#prompt").fill("mossy stones");
  await tab.locator('details[data-group="advanced"] > summary').click();
  await tab.locator("select#tiling").selectOption("xy");
  await tab.locator('button[data-action="generate"]').click();
  await until(async () => (await tasks()).some((t) => t.request.prompt === "mossy stones" && t.state === "succeeded"), "the tiled task done", 60_000);
  const task = (await tasks()).find((t) => t.request.prompt === "mossy stones")!;
  expect((task.request as unknown as { tiling: string }).tiling).toBe("xy");
  const section = tab.locator(`ed-results section.task[data-task="${task.id}"]`);
  await section.locator('button[data-action="tile-preview"]').click();
  const preview = tab.locator("ed-results ed-tile-preview");
  await until(async () => (await preview.locator("img").count()) === 9, "nine tiles");
  await page.screenshot({ path: join(SHOTS, "tile-preview.png") });
  await page.keyboard.press("Escape");
  await until(async () => (await preview.count()) === 0, "the preview closed");
  await tab.locator("select#tiling").selectOption("none");
  expect(session.pageErrors).toEqual([]);
});

test("Upscale ×2 on a picture: a new picture of twice the size, the original kept, metadata saying so", async () => {
  const tab = activeTab(page);
  const source = (await tasks()).find((t) => t.request.prompt === "a lighthouse")! as unknown as { id: string; images: { id: string; width: number; height: number }[] };
  const original = source.images[0]!;
  const before = (await tasks()).length;
  await tab.locator(`ed-results section.task[data-task="${source.id}"] button[data-action="upscale-2"]`).first().click();
  await until(async () => (await tasks()).length === before + 1, "the upscale task queued");
  const up = (await tasks()).find((t) => (t.request as unknown as { upscale_of?: unknown }).upscale_of)!;
  await until(async () => (await tasks()).find((t) => t.id === up.id)?.state === "succeeded", "the upscale done", 60_000);
  const done = (await tasks()).find((t) => t.id === up.id) as unknown as { images: { id: string; url: string }[] };
  expect(done.images).toHaveLength(1);
  const bytes = new Uint8Array(await (await fetch(session.app.url.replace(/\/$/, "") + done.images[0]!.url)).arrayBuffer());
  expect(pngSize(bytes)).toEqual({ width: original.width * 2, height: original.height * 2 });
  expect(readPngText(bytes).Description).toMatch(/^Upscaled ×2 with RealESRGAN_x4plus from /);
  // The new picture shows in the results, the original stays.
  await until(async () => (await tab.locator(`ed-results section.task[data-task="${up.id}"] img`).count()) > 0, "the upscaled picture shown");
  expect(await tab.locator(`ed-results section.task[data-task="${source.id}"] img`).count()).toBeGreaterThan(0);
  expect(session.pageErrors).toEqual([]);
});

test("post-step Upscale ×2 in the output fields: each picture kept, plus its upscaled copy", async () => {
  const tab = activeTab(page);
  await tab.locator("textarea#prompt").fill("a red barn");
  const advanced = tab.locator('details[data-group="advanced"]');
  if (!(await advanced.evaluate((d) => (d as HTMLDetailsElement).open))) await advanced.locator("> summary").click();
  await tab.locator("select#upscale_factor").selectOption("2");
  await until(async () => (await tab.locator("select#upscale_model").count()) === 1, "the model picker shown");
  await page.screenshot({ path: join(SHOTS, "upscale-post-step.png") });
  await tab.locator('button[data-action="generate"]').click();
  await until(async () => (await tasks()).some((t) => t.request.prompt === "a red barn" && t.state === "succeeded"), "the task done", 60_000);
  const task = (await tasks()).find((t) => t.request.prompt === "a red barn")! as unknown as { id: string; request: { upscale?: unknown; width: number }; images: { width: number }[] };
  expect(task.request.upscale).toEqual({ factor: 2, model: "RealESRGAN_x4plus.safetensors" });
  expect(task.images.map((i) => i.width).sort()).toEqual([task.request.width * 2, task.request.width].sort());
  await tab.locator("select#upscale_factor").selectOption("0");
  expect(session.pageErrors).toEqual([]);
});

test("style modifiers: yours first, search, a click appends to the prompt and a second click removes it", async () => {
  const tab = activeTab(page);
  const prompt = tab.locator("textarea#prompt");
  await prompt.fill("a fox");
  const panel = tab.locator("ed-style-modifiers");
  await panel.locator("summary").click();
  await until(async () => (await panel.locator("section[data-category]").count()) > 3, "the categories loaded");
  expect(await panel.locator("section[data-category]").first().getAttribute("data-category")).toBe("My looks");
  await panel.locator('input[name="modifier_search"]').fill("golden");
  await until(async () => (await panel.locator(".tags button").count()) === 1, "one match");
  await page.screenshot({ path: join(SHOTS, "modifiers-search.png") });
  await panel.locator(".tags button", { hasText: "golden hour" }).click();
  await until(async () => (await prompt.inputValue()) === "a fox, golden hour", "appended");
  expect(await panel.locator(".tags button").first().getAttribute("aria-pressed")).toBe("true");
  await panel.locator(".tags button", { hasText: "golden hour" }).click();
  await until(async () => (await prompt.inputValue()) === "a fox", "removed");
  await panel.locator('input[name="modifier_search"]').fill("zzzz");
  await waitText(panel.locator('[data-role="no-modifiers"]'), 'No modifier matches "zzzz".');
  await panel.locator('input[name="modifier_search"]').fill("");
  await page.screenshot({ path: join(SHOTS, "modifiers.png") });
  expect(session.pageErrors).toEqual([]);
});
