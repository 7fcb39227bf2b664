/**
 * The Settings tab in real Chromium against the real app: the form comes
 * from the config schema, shows the file's problems, saves changed keys
 * (GET /api/config and config.yaml agree, comments kept) and shows the
 * server's message when a value is rejected.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningApp } from "../../launcher/start";
import { SECRET_MASK } from "../../launcher/config/secrets";
import { launchBrowser, openShell, startUiApp, tempDataDir, until, waitText } from "./harness";

// A slow step must fail its own test, not time out and take the shared browser down with it.
setDefaultTimeout(30_000);

let browser: Browser;
let app: RunningApp;
let page: Page;
const data = tempDataDir();

const field = (path: string) => page.locator(`ed-settings-app ed-settings-field[data-path="${path}"]`);
const control = (path: string) => field(path).locator("input, select, textarea").first();
const saveButton = () => page.locator("ed-settings-app button.primary");
const config = async () => ((await (await fetch(`${app.url}api/config`)).json()) as { config: Record<string, Record<string, unknown>> }).config;

beforeAll(async () => {
  // A user's file with a comment and one bad value: the form must show the problem and keep the comment.
  writeFileSync(join(data.dir, "config.yaml"), "# my settings\nengine:\n  threads: -3 # too few\n  vae_tiling: false\n");
  [browser, app] = await Promise.all([launchBrowser(), startUiApp(data.dir)]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openShell(page, app.url);
  await page.click("ed-main-menu .trigger");
  await page.click('ed-main-menu [data-command="app:settings"]');
  await field("engine.threads").waitFor();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  data.remove();
});

describe("other devices", () => {
  test("the switch lets other devices in at once; the QR code and login link appear; a new token replaces them", async () => {
    const card = page.locator("ed-settings-app ed-lan-card");
    expect(await card.locator(".qr").count()).toBe(0);
    await card.locator("input.allow-lan").check();
    await card.locator(".qr svg").waitFor({ timeout: 10_000 });
    expect(app.ctx.listening?.host).toBe("0.0.0.0");
    expect((await config()).server!.allow_lan).toBe(true);
    const links = await card.locator(".link code").allTextContents();
    const token = readFileSync(app.ctx.paths.lanToken, "utf8").trim();
    for (const l of links) expect(l).toEndWith(`:${app.port}/login?token=${token}`);
    await card.screenshot({ path: join(data.dir, "lan-card.png") });
    page.once("dialog", (d) => void d.accept());
    await card.locator("button.new-token").click();
    await until(async () => readFileSync(app.ctx.paths.lanToken, "utf8").trim() !== token, "a new token");
    const fresh = readFileSync(app.ctx.paths.lanToken, "utf8").trim();
    await until(async () => (await card.locator(".link code").first().textContent())!.endsWith(fresh), "the new link");
    await card.locator("input.allow-lan").uncheck();
    await until(async () => app.ctx.listening?.host === "127.0.0.1", "the server back on loopback");
    await until(async () => (await card.locator(".qr").count()) === 0, "the QR code gone");
  });
});

describe("settings", () => {
  test("renders every schema section and key with the right control", async () => {
    const headings = await page.locator("ed-settings-app h2").allTextContents();
    // "Other devices" (a card of its own, first on the page) comes last in this list: it is in its own shadow root.
    const own = headings.map((h) => h.replace(/\s+/g, " ").trim()).filter((h) => h !== "Other devices" && h !== "Plugins");
    expect(headings).toContain("Other devices");
    expect(headings).toContain("Plugins");
    expect(own).toEqual(["Web serverserver", "User interfaceui", "Engineengine", "Saved imagesoutputs", "Compatible APIs (A1111 /sdapi/v1, OpenAI /v1)api", "Modelsmodels", "Logginglog"]);
    expect(await control("models.idle_unload_minutes").getAttribute("type")).toBe("number");
    expect(await control("models.warm_start").getAttribute("type")).toBe("checkbox");
    expect(await control("models.civitai_token").getAttribute("type")).toBe("password");
    expect(await field("models.extra_folders").locator("textarea").count()).toBe(1);
    expect(await control("ui.open_window").getAttribute("type")).toBe("checkbox");
    expect(await control("engine.backend").evaluate((e) => e.tagName)).toBe("SELECT");
    expect(await control("engine.backend").locator("option").allTextContents()).toEqual(["auto", "cuda", "vulkan", "rocm", "metal", "cpu"]);
    expect(await control("server.port").getAttribute("type")).toBe("number");
    expect(await control("server.port").getAttribute("min")).toBe("1");
    expect(await control("server.port").getAttribute("max")).toBe("65535");
    expect(await control("engine.release_repo").getAttribute("type")).toBe("text");
    await waitText(field("engine.flash_attention").locator(".help"), /flash attention.*default: true/i);
  });

  test("shows the problems the server found in config.yaml", async () => {
    await waitText(page.locator("ed-settings-app .problems"), /engine\.threads/);
    // The bad value is replaced by the default in the form.
    expect(await control("engine.threads").inputValue()).toBe("0");
  });

  test("saves changed keys: the API and config.yaml agree, comments are kept", async () => {
    expect(await saveButton().isDisabled()).toBe(true);
    await control("engine.threads").fill("6");
    await control("engine.vae_tiling").check();
    await control("log.level").selectOption("debug");
    await control("server.allowed_hosts").fill("studio.local, nas.lan");
    expect(await field("engine.threads").getAttribute("changed")).not.toBeNull();
    await saveButton().click();
    await waitText(page.locator("ed-settings-app .saved"), "Saved");

    const c = await config();
    expect(c.engine!.threads).toBe(6);
    expect(c.engine!.vae_tiling).toBe(true);
    expect(c.log!.level).toBe("debug");
    expect(c.server!.allowed_hosts).toEqual(["studio.local", "nas.lan"]);
    const yaml = readFileSync(app.paths.config, "utf8");
    expect(yaml).toContain("# my settings");
    expect(yaml).toMatch(/threads: 6/);
    expect(yaml).toMatch(/vae_tiling: true/);
    expect(yaml).toMatch(/level: debug/);
    expect(yaml).toContain("studio.local");
    expect(await saveButton().isDisabled()).toBe(true);
  });

  test("a change saved elsewhere shows up in the open form", async () => {
    const res = await fetch(`${app.url}api/config`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ outputs: { quality: 77 } }),
    });
    expect(res.status).toBe(200);
    await until(async () => (await control("outputs.quality").inputValue()) === "77", "the form to show quality 77");
  });

  test("a value the server rejects shows its message and changes nothing", async () => {
    const before = readFileSync(app.paths.config, "utf8");
    await control("server.port").fill("70000");
    await saveButton().click();
    const message = await waitText(page.locator("ed-settings-app .error"), /port/i);
    expect(message.length).toBeGreaterThan(10);
    expect((await config()).server!.port).toBe(9000);
    expect(readFileSync(app.paths.config, "utf8")).toBe(before);
    // The edit stays, so the user can fix it; Discard brings back the saved value.
    expect(await control("server.port").inputValue()).toBe("70000");
    await page.click("ed-settings-app button:not(.primary)");
    await until(async () => (await control("server.port").inputValue()) === "9000", "discarded edit");
    expect(await page.locator("ed-settings-app .error").count()).toBe(0);
  });

  test("tokens: shown masked, never in clear; the owner sets, replaces and clears one; other edits keep it", async () => {
    const token = control("models.huggingface_token");
    const stored = () => app.ctx.config.config.models.huggingface_token;
    const save = async () => {
      await saveButton().click();
      await waitText(page.locator("ed-settings-app .saved"), "Saved");
    };
    await token.fill("hf_first_token_0123456789");
    await save();
    expect(stored()).toBe("hf_first_token_0123456789");
    // The form now holds the mask, not the token.
    expect(await token.inputValue()).toBe(SECRET_MASK);
    expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain("hf_first_token");
    // Another edit beside it keeps the token.
    await control("models.idle_unload_minutes").fill("7");
    await save();
    expect(stored()).toBe("hf_first_token_0123456789");
    // Focusing selects the mask: typing replaces it.
    await token.focus();
    await page.keyboard.type("hf_second_token_9876543210");
    await save();
    expect(stored()).toBe("hf_second_token_9876543210");
    await token.fill("");
    await save();
    expect(stored()).toBe("");
    expect(await token.inputValue()).toBe("");
  });
});
