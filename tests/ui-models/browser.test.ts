/**
 * Models in real Chromium against the real app (models service, queue, the
 * stand-in engine): the Image tab's picker offers usable models only and a
 * fresh tab starts on the last used one (not an unreadable file sorted
 * first); the Model Browser lists every model by kind with the unreadable
 * one's reason, filters, sorts and deletes after a confirmation; a
 * diffusion-only model shows its companions, picks the installed ones, and
 * is saved as a set the Image tab picks. The Starter and Search views run on
 * the real catalog/search/download routes (models/net) with a test catalogue,
 * a local stand-in of Civitai's API in its documented shape, and a local file
 * server. Screenshots go to $TMPDIR/ed-ui-models-shots.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningApp } from "../../launcher/start";
import { TELLTALES, writeSafetensors } from "../models/fixtures";
import { png } from "../queue/images";
import { modelsNetService } from "../../models/net/service";
import { catalogYaml } from "./catalog";
import { activeTab, fieldValue, generateServices, launchBrowser, openShell, seedModels, startImageApp, tempDataDir, until, waitText } from "../ui-image/harness";

setDefaultTimeout(30_000);

const SHOTS = join(tmpdir(), "ed-ui-models-shots");
mkdirSync(SHOTS, { recursive: true });

let browser: Browser;
let app: RunningApp;
let page: Page;
const data = tempDataDir("ed-ui-models-");
const engineRoot = tempDataDir("ed-ui-models-engine-");
const pageErrors: string[] = [];
/** The query strings Civitai's stand-in received. */
const civitaiSeen: URLSearchParams[] = [];
let files: ReturnType<typeof Bun.serve>;
let civitai: ReturnType<typeof Bun.serve>;

const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => (await fetch(new URL(path, app.url), init)).json() as Promise<T>;
const browserView = (page: Page) => page.locator("ed-shell section.pane:not([hidden]) ed-models-app");
const shell = (page: Page) => page.locator("ed-shell");

beforeAll(async () => {
  seedModels(data.dir);
  const models = join(data.dir, "models");
  // Sorted first, and not a model at all: today's bug preselected it.
  writeFileSync(join(models, "stable-diffusion", "aaa-notes.safetensors"), "this is not a model");
  mkdirSync(join(models, "diffusion_models"), { recursive: true });
  mkdirSync(join(models, "text_encoders"), { recursive: true });
  writeSafetensors(join(models, "diffusion_models", "flux1-schnell.safetensors"), TELLTALES.flux!);
  writeSafetensors(join(models, "vae", "ae.safetensors"), TELLTALES.vae_flux!);
  writeSafetensors(join(models, "text_encoders", "clip_l.safetensors"), TELLTALES.clip_l!);
  writeSafetensors(join(models, "text_encoders", "t5xxl_fp16.safetensors"), TELLTALES.t5xxl!);
  // The file server: a LoRA to download and a thumbnail.
  const loraFile = join(engineRoot.dir, "lora.safetensors");
  writeSafetensors(loraFile, TELLTALES.lora_sd1!);
  const lora = readFileSync(loraFile);
  const thumb = png(64, 64);
  files = Bun.serve({ port: 0, fetch: (req) => new Response(new URL(req.url).pathname.endsWith(".png") ? new Blob([thumb as Uint8Array<ArrayBuffer>]) : new Blob([lora])) });
  const base = `http://127.0.0.1:${files.port}`;
  const loraSha = new Bun.CryptoHasher("sha256").update(lora).digest("hex");
  // Civitai's GET /api/v1/models in its documented shape; "gated" answers 403 as it does without a key.
  civitai = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req) => {
      const q = new URL(req.url).searchParams;
      civitaiSeen.push(q);
      if (q.get("query") === "gated") return new Response("{}", { status: 403 });
      return Response.json({
        items: [
          {
            id: 123,
            name: "Detail Tweaker",
            type: "LORA",
            creator: { username: "someone" },
            stats: { downloadCount: 12_345, thumbsUpCount: 678 },
            allowCommercialUse: ["Image"],
            modelVersions: [{ id: 456, name: "v1", baseModel: "SD 1.5", images: [{ url: `${base}/thumb.png`, type: "image" }], files: [{ name: "detail-tweaker.safetensors", sizeKB: lora.length / 1024, type: "Model", downloadUrl: `${base}/detail-tweaker.safetensors`, hashes: { SHA256: loraSha.toUpperCase() } }] }],
          },
        ],
        metadata: { nextCursor: null },
      });
    },
  });
  writeFileSync(join(data.dir, "config.yaml"), `models:\n  civitai_base: http://127.0.0.1:${civitai.port}\n  civitai_lookup: false\n`);
  const starter = (id: string, title: string, name: string) => ({ id, title, description: "A starter.", url: `${base}/${name}`, name, size: 80_000_000 });
  // A 10 GB GPU: the recommendation is SDXL.
  const net = modelsNetService({
    catalogText: catalogYaml([starter("sd-test", "SD test", "sd-test.safetensors"), starter("sdxl", "SDXL base", "sdxl.safetensors")]),
    machine: async () => ({ gpu: true, vramGb: 10, ramGb: 32 }),
  });
  // Civitai's answer for the LoRA, through the models service's enricher hook (the net helper's by-hash lookup fills it in the app).
  const services = generateServices(engineRoot.dir, {}, {
    enrich: (e) =>
      e.kind === "lora" && e.name === "detail.safetensors"
        ? { modelId: 58390, versionId: 87153, name: "Detail Tweaker LoRA", versionName: "v1.0", baseModel: "SD 1.5", trainedWords: ["add_detail", "sharp focus"], preview: null, url: `${base}/models/58390` }
        : null,
  });
  [browser, app] = await Promise.all([launchBrowser(), startImageApp(data.dir, [...services, net])]);
  // The last task used sd-test (not the first name in the list).
  const res = await fetch(new URL("/api/tasks", app.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ prompt: "a cat", model: "sd-test.safetensors", vae: "vae-ft.safetensors", steps: 4, width: 64, height: 64, seed: 1 }),
  });
  expect(res.status).toBe(202);
  await until(async () => (await api<{ lastUsed: { model: string } | null }>("/api/models")).lastUsed?.model === "sd-test.safetensors", "lastUsed");
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await openShell(page, app.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  files?.stop(true);
  civitai?.stop(true);
  data.remove();
  engineRoot.remove();
}, 30_000);

describe("models in the browser", () => {
  test("the Image tab offers usable models only and starts on the last used one", async () => {
    await until(async () => (await fieldValue(page, "model").catch(() => "")) !== "", "a model selected");
    expect(await fieldValue(page, "model")).toBe("sd-test.safetensors");
    expect(await fieldValue(page, "vae")).toBe("vae-ft.safetensors");
    const options = await activeTab(page).locator("select#model option").allTextContents();
    expect(options).toEqual(["Choose a model…", "other.safetensors", "sd-test.safetensors", "flux1-schnell.safetensors"]);
    expect(options.join()).not.toContain("aaa-notes");
    expect(await activeTab(page).locator("ed-first-run").count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, "image-picker.png") });
  });

  test("a LoRA's trigger words are one click from the prompt", async () => {
    const tab = activeTab(page);
    await tab.locator("textarea#prompt").fill("a portrait");
    await tab.locator('select[name="add_lora"]').selectOption("detail.safetensors");
    const words = tab.locator('[data-words="detail.safetensors"] button');
    expect(await words.allTextContents()).toEqual(["+ add_detail", "+ sharp focus"]);
    await words.first().click();
    await until(async () => (await tab.locator("textarea#prompt").inputValue()) === "a portrait, add_detail", "the word added");
    expect(await words.first().isDisabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, "image-lora-words.png") });
    await tab.locator('button[aria-label="Remove detail.safetensors"]').click();
  });

  test("the Model Browser lists every model by kind, with the unreadable one's reason", async () => {
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [role=menuitem][data-command="app:model-browser"]');
    const view = browserView(page);
    await view.locator("ed-installed-view section[data-kind]").first().waitFor();
    const kinds = await view.locator("ed-installed-view section[data-kind]").evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")));
    expect(kinds).toEqual(["stable-diffusion", "diffusion_models", "vae", "text_encoders", "lora", "controlnet"]);
    const broken = view.locator('[data-model="stable-diffusion/aaa-notes.safetensors"]');
    expect(await broken.getAttribute("data-usable")).toBe("false");
    expect(await broken.locator(".chip.bad").textContent()).toBe("unreadable");
    expect((await broken.locator("[data-problem]").textContent())!.length).toBeGreaterThan(5);
    const lora = (await view.locator('[data-model="lora/detail.safetensors"]').textContent())!.replace(/\s+/g, " ");
    expect(lora).toContain("Detail Tweaker LoRA detail.safetensors");
    expect(await view.locator('[data-model="lora/detail.safetensors"] .chip').allTextContents()).toEqual(["add_detail", "sharp focus"]);
    const flux = await view.locator('[data-model="diffusion_models/flux1-schnell.safetensors"] .sub').first().textContent();
    expect(flux).toContain("Flux");
    await page.screenshot({ path: join(SHOTS, "browser-installed.png") });
  });

  test("filter and sort", async () => {
    const view = browserView(page);
    await view.locator('input[name="filter"]').fill("flux");
    await until(async () => (await view.locator("ed-installed-view .row").count()) === 2, "two Flux entries (model and VAE)");
    const names = await view.locator("ed-installed-view .row").evaluateAll((els) => els.map((e) => e.getAttribute("data-model")));
    expect(names).toEqual(["diffusion_models/flux1-schnell.safetensors", "vae/ae.safetensors"]);
    await view.locator('input[name="filter"]').fill("nothing-like-this");
    await waitText(view.locator("ed-installed-view p.muted"), "No model matches.");
    await view.locator('input[name="filter"]').fill("");
    await view.locator('select[name="sort"]').selectOption("size");
    const sd = await view.locator('section[data-kind="stable-diffusion"] .row').evaluateAll((els) => els.map((e) => e.getAttribute("data-model")));
    expect(sd[sd.length - 1]).toBe("stable-diffusion/aaa-notes.safetensors"); // 19 bytes: the smallest
  });

  test("delete asks first, then removes the file", async () => {
    const view = browserView(page);
    const row = view.locator('[data-model="stable-diffusion/aaa-notes.safetensors"]');
    const file = join(data.dir, "models", "stable-diffusion", "aaa-notes.safetensors");
    await row.locator('[data-action="delete"]').click();
    await row.locator('[data-action="cancel-delete"]').click();
    expect(existsSync(file)).toBe(true);
    await row.locator('[data-action="delete"]').click();
    await page.screenshot({ path: join(SHOTS, "browser-delete-confirm.png") });
    await row.locator('[data-action="confirm-delete"]').click();
    await until(async () => (await row.count()) === 0, "the row gone");
    expect(existsSync(file)).toBe(false);
    await waitText(view.locator("ed-installed-view p[role=status]"), "Deleted aaa-notes.safetensors.");
  });

  test("a diffusion-only model shows its companions, picks the installed ones, and is saved as a set the Image tab picks again", async () => {
    await page.locator("ed-tab-strip [role=tab]", { hasText: "Image" }).first().click();
    const tab = activeTab(page);
    await tab.locator("select#model").selectOption("flux1-schnell.safetensors");
    const needs = tab.locator("ed-model-set-fields [data-companions]");
    await needs.waitFor();
    await until(async () => (await fieldValue(page, "vae")) === "ae.safetensors", "the Flux VAE picked");
    const encoders = () => tab.locator('[data-group="text_encoders"] .lora .name').allTextContents();
    await until(async () => (await encoders()).length === 2, "two text encoders picked");
    expect((await encoders()).sort()).toEqual(["clip_l.safetensors", "t5xxl_fp16.safetensors"]);
    await tab.locator('input[name="set_name"]').fill("Flux schnell");
    await tab.locator('[data-action="save-set"]').click();
    await waitText(tab.locator("ed-model-set-fields [role=status]"), 'Saved as "Flux schnell".');
    await page.screenshot({ path: join(SHOTS, "image-model-set.png") });
    const { sets } = await api<{ sets: { name: string; model: string; vae?: string; text_encoders: string[] }[] }>("/api/models/sets");
    expect(sets.find((s) => s.name === "Flux schnell")).toMatchObject({ model: "flux1-schnell.safetensors", vae: "ae.safetensors" });

    // Back to an SD model, then the set picks all three again.
    await tab.locator("select#model").selectOption("other.safetensors");
    await tab.locator('[data-group="text_encoders"] button[aria-label^="Remove"]').first().click();
    await tab.locator('[data-group="text_encoders"] button[aria-label^="Remove"]').first().click();
    await tab.locator("select#vae").selectOption("");
    await tab.locator('select[name="model_set"]').selectOption("Flux schnell");
    await until(async () => (await fieldValue(page, "model")) === "flux1-schnell.safetensors", `the set's model (${await fieldValue(page, "model")}, ${pageErrors})`);
    expect(await fieldValue(page, "vae")).toBe("ae.safetensors");
    expect((await encoders()).sort()).toEqual(["clip_l.safetensors", "t5xxl_fp16.safetensors"]);
    expect(pageErrors).toEqual([]);
  });

  test("Starter view: the recommended one first, memory, licence, installed state", async () => {
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [role=menuitem][data-command="app:model-browser"]');
    const view = browserView(page);
    await view.locator('nav [data-view="starter"]').click();
    const cards = view.locator("ed-starter-view ed-catalog-card .card");
    await cards.first().waitFor();
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-catalog")))).toEqual(["sdxl", "sd-test"]);
    const first = (await cards.first().textContent())!.replace(/\s+/g, " ");
    expect(first).toContain("needs 4 GB VRAM or 8 GB RAM");
    expect(first).toContain("Recommended: SDXL makes detailed 1024×1024 pictures with the 10 GB of your GPU");
    expect(first).toContain("Licence: CreativeML OpenRAIL-M");
    expect(await cards.nth(0).locator('[data-action="download"]').count()).toBe(1);
    expect(await cards.nth(1).locator(".chip.good").textContent()).toBe("installed");
    expect(await cards.nth(1).locator('[data-action="download"]').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, "browser-starter.png") });
  });

  test("Search: source, query, type, base and sort reach Civitai; a result downloads, verified by its sha256, into its kind's folder", async () => {
    const view = browserView(page);
    await view.locator('nav [data-view="search"]').click();
    const form = view.locator("ed-search-view form");
    await form.locator('select[name="source"]').selectOption("civitai");
    await form.locator('input[name="q"]').fill("detail");
    await form.locator('select[name="type"]').selectOption("lora");
    await form.locator('select[name="base"]').selectOption("SD 1.5");
    await form.locator('select[name="sort"]').selectOption("likes");
    await form.locator('[data-action="search"]').click();
    const result = view.locator('ed-search-view [data-result="123"]');
    await result.waitFor();
    expect(Object.fromEntries(civitaiSeen.at(-1)!)).toEqual({ limit: "20", query: "detail", types: "LORA", baseModels: "SD 1.5", sort: "Highest Rated" });
    const text = (await result.textContent())!.replace(/\s+/g, " ");
    expect(text).toContain("Detail Tweaker");
    expect(text).toContain("12k downloads");
    expect(text).toContain("Licence: Civitai licence (commercial use: Image)");
    expect(text).toMatch(/detail-tweaker\.safetensors · \d+ KB/);
    expect(await result.locator(".chip").allTextContents()).toEqual(["LoRA", "SD 1.5"]);
    await until(async () => (await result.locator("img.thumb").evaluate((img: HTMLImageElement) => img.naturalWidth)) === 64, "the thumbnail loaded");
    await page.screenshot({ path: join(SHOTS, "browser-search.png") });
    await result.locator('[data-action="download"]').click();
    const dest = join(data.dir, "models", "lora", "detail-tweaker.safetensors");
    await until(() => existsSync(dest), "the LoRA in models/lora");
    await until(async () => (await api<{ kinds: Record<string, string[]> }>("/api/models")).kinds.lora?.includes("detail-tweaker.safetensors") ?? false, "listed");
  });

  test("a 403 says a token or licence acceptance is needed, and links to Settings", async () => {
    const view = browserView(page);
    const form = view.locator("ed-search-view form");
    await form.locator('input[name="q"]').fill("gated");
    await form.locator('[data-action="search"]').click();
    const alert = view.locator("ed-search-view [role=alert]");
    await waitText(alert, /^This needs a token or licence acceptance: Civitai answered 403: it needs a token \(Settings → Models\) or the licence accepted on its page/);
    await page.screenshot({ path: join(SHOTS, "browser-search-403.png") });
    await alert.locator('[data-action="open-settings"]').click();
    await page.locator("ed-shell section.pane:not([hidden]) ed-settings-app").waitFor();
    expect(pageErrors).toEqual([]);
  });

  test("on a phone the Installed view fits the width", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [role=menuitem][data-command="app:model-browser"]');
    const view = browserView(page);
    await view.locator('nav [data-view="installed"]').click();
    await view.locator("ed-installed-view section[data-kind]").first().waitFor();
    const overflow = await view.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, "browser-installed-phone.png") });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
