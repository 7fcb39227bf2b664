/**
 * The Settings tab in real Chromium against the real app: the form comes
 * from the config schema in the settings guide's groups (a list to jump to,
 * a search, human labels, Advanced folded, the LAN switch once), shows the
 * running port beside the configured one that was taken, shows the file's
 * problems, saves changed keys (GET /api/config and config.yaml agree,
 * comments kept) and shows the server's message when a value is rejected.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningApp } from "../../launcher/start";
import { SECRET_MASK } from "../../core/config/secrets";
import { SETTINGS_GROUPS, SETTINGS_GUIDE } from "../../common/settings-guide";
import { launchBrowser, openShell, startUiApp, tempDataDir, until, waitText } from "./harness";

// A slow step must fail its own test, not time out and take the shared browser down with it.
setDefaultTimeout(30_000);

let browser: Browser;
let app: RunningApp;
let page: Page;
const data = tempDataDir();
/** Holds the port config.yaml names, so the app has to take the next one. */
const blocker = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("taken") });
const TAKEN = blocker.port!;
const SHOTS = join(tmpdir(), "ed-ui-settings-shots");

const field = (path: string) => page.locator(`ed-settings-app ed-settings-field[data-path="${path}"]`);
const control = (path: string) => field(path).locator("input, select, textarea").first();
const saveButton = () => page.locator("ed-settings-app button.primary");
const settings = () => page.locator("ed-settings-app");
const section = (id: string) => settings().locator(`section[data-group="${id}"]`);
const search = () => settings().locator("input.search");
/** The fields shown, read in the page at once (as Playwright's isVisible: a box, not visibility:hidden): one field
 *  at a time took seconds on a loaded machine, longer than a wait allows. */
/** A search re-renders every group: on a loaded 2-core CI machine that took over 10 s once (clean-clone CI run). */
const SEARCH_MS = 30_000;
const visiblePaths = () =>
  settings().evaluate((app) =>
    [...(app.shadowRoot?.querySelectorAll<HTMLElement>("ed-settings-field") ?? [])]
      .filter((f) => {
        const box = f.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && f.checkVisibility({ visibilityProperty: true });
      })
      .map((f) => f.dataset.path!),
  );
/** Opens Advanced (folded by default) unless it is open. */
const openAdvanced = async () => {
  if ((await section("advanced").locator("details").getAttribute("open")) === null) await section("advanced").locator("summary").click();
  await until(async () => (await section("advanced").locator("details").getAttribute("open")) !== null, "Advanced open");
};
const config = async () => ((await (await fetch(`${app.url}api/config`)).json()) as { config: Record<string, Record<string, unknown>> }).config;

beforeAll(async () => {
  // A user's file with a comment and one bad value: the form must show the problem and keep the comment.
  // The port it names is taken: the app runs on the next one, as it would for a user (no --port).
  writeFileSync(join(data.dir, "config.yaml"), `# my settings\nserver:\n  port: ${TAKEN}\nengine:\n  threads: -3 # too few\n  vae_tiling: false\n`);
  [browser, app] = await Promise.all([launchBrowser(), startUiApp(data.dir, null)]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openShell(page, app.url);
  await page.click("ed-main-menu .trigger");
  await page.click('ed-main-menu [data-command="app:settings"]');
  await field("outputs.format").waitFor();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  blocker.stop(true);
  data.remove();
});

describe("sections, labels, search", () => {
  test("the sections are listed in words, and Advanced is folded: its fields are hidden until opened", async () => {
    const nav = settings().locator("nav button");
    expect((await nav.allTextContents()).map((t) => t.trim())).toEqual(SETTINGS_GROUPS.map((g) => g.title));
    for (const t of ["Image defaults", "Models and downloads", "Engine and GPU", "Other devices", "Appearance", "Advanced"]) expect((await nav.allTextContents()).map((x) => x.trim())).toContain(t);
    // No config-file section names as headings.
    const headings = (await settings().locator("h2").allTextContents()).map((h) => h.trim());
    expect(headings).toEqual(SETTINGS_GROUPS.map((g) => g.title));
    expect(await section("advanced").locator("details").getAttribute("open")).toBeNull();
    expect(await section("advanced").locator("summary").isVisible()).toBe(true);
    for (const p of ["server.cors_origins", "server.allowed_hosts", "server.host", "engine.api_base", "engine.release_repo", "engine.mmap", "engine.threads"]) expect(`${p} ${await field(p).isVisible()}`).toBe(`${p} false`);
    expect(await field("outputs.format").isVisible()).toBe(true);
    expect(await field("ui.theme").isVisible()).toBe(true);
  });

  test("every field has the guide's human label and help; no raw key is shown as a label", async () => {
    await openAdvanced();
    const labels: Record<string, string> = {};
    for (const f of await settings().locator("ed-settings-field").all()) labels[(await f.getAttribute("data-path"))!] = (await f.locator("label").textContent())!.trim();
    // The form shows fields (an empty form would pass the loop below): at least these, each with the guide's label.
    expect(Object.keys(labels)).toEqual(expect.arrayContaining(["outputs.format", "ui.theme", "server.cors_origins", "engine.threads"]));
    for (const [path, label] of Object.entries(labels)) expect(`${path}: ${label}`).toBe(`${path}: ${SETTINGS_GUIDE[path]!.label}`);
    const shown = Object.values(labels);
    for (const raw of ["Allow lan", "Cors origins", "Api base", "Mmap", "Allowed hosts", "Release repo", "Huggingface token"]) expect(shown).not.toContain(raw);
    expect(shown.filter((l) => l.includes("_"))).toEqual([]);
    expect(await field("server.cors_origins").locator(".help").textContent()).toMatch(/origins such as https:\/\/tool\.example/);
    await section("advanced").locator("summary").click();
    await until(async () => !(await field("engine.threads").isVisible()), "Advanced folded again");
  });

  test("the list jumps to a section: Advanced opens, its heading is on screen and focused", async () => {
    for (const id of ["appearance", "advanced", "image"]) {
      await settings().locator(`nav button[data-group="${id}"]`).click();
      const heading = section(id).locator("h2");
      await until(async () => {
        const box = await heading.boundingBox();
        return !!box && box.y >= 0 && box.y < 200;
      }, `${id} heading near the top`);
      expect(await heading.evaluate((h) => (h.getRootNode() as ShadowRoot).activeElement === h)).toBe(true);
      expect(await settings().locator(`nav button[data-group="${id}"]`).getAttribute("aria-current")).toBe("true");
    }
    expect(await field("engine.threads").isVisible()).toBe(true);
    await section("advanced").locator("summary").click();
    await until(async () => !(await field("engine.threads").isVisible()), "Advanced folded again");
  });

  test("search shows only matching fields (by label, help or key), opens Advanced for a match, and says when nothing matches", async () => {
    await search().fill("cors");
    await until(async () => JSON.stringify(await visiblePaths()) === JSON.stringify(["server.cors_origins"]), "only the CORS field", SEARCH_MS);
    expect(await section("advanced").locator("details").getAttribute("open")).not.toBeNull();
    expect(await section("image").isVisible()).toBe(false);
    expect(await settings().locator('nav button[data-group="image"]').isDisabled()).toBe(true);
    expect((await settings().locator('nav button[data-group="advanced"] .count').textContent())!.trim()).toBe("1");
    // By the key in config.yaml, and by words of the help.
    await search().fill("huggingface_token");
    await until(async () => JSON.stringify(await visiblePaths()) === JSON.stringify(["models.huggingface_token"]), "the token by its key", SEARCH_MS);
    await search().fill("gpu memory");
    await until(async () => (await visiblePaths()).includes("engine.vae_tiling"), "VAE tiling by its help", SEARCH_MS);
    expect((await visiblePaths()).every((p) => p.startsWith("engine."))).toBe(true);
    // A card is found by its words.
    await search().fill("qr");
    await until(async () => (await visiblePaths()).length === 0 && (await settings().locator("ed-lan-card").isVisible()), "the Other devices card", SEARCH_MS);
    expect(await settings().locator("ed-plugins-card").isVisible()).toBe(false);
    await search().fill("xyzzy plover");
    await waitText(settings().locator(".no-match"), /^No setting matches “xyzzy plover”/);
    expect(await visiblePaths()).toEqual([]);
    // Escape clears the search: everything is back, Advanced folded again.
    await search().press("Escape");
    await until(async () => (await visiblePaths()).includes("outputs.format") && (await settings().locator(".no-match").count()) === 0, "all fields back", SEARCH_MS);
    expect(await field("engine.threads").isVisible()).toBe(false);
  }, 90_000);

  test("another tab opening Settings on a field under Advanced unfolds it, clears a search and focuses the field", async () => {
    await search().fill("theme");
    await settings().evaluate((el) => (el as unknown as { receive(m: unknown): Promise<void> }).receive({ focus: "engine.threads" }));
    await until(async () => await field("engine.threads").isVisible(), "the threads field shown", SEARCH_MS);
    expect(await search().inputValue()).toBe("");
    expect(await control("engine.threads").evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
    await section("advanced").locator("summary").click();
    await until(async () => !(await field("engine.threads").isVisible()), "Advanced folded again", SEARCH_MS);
  }, 90_000);

  test("the port: the configured one beside the one the app runs on because it was taken", async () => {
    expect(app.port).not.toBe(TAKEN);
    expect(await control("server.port").inputValue()).toBe(String(TAKEN));
    await waitText(field("server.port").locator(".running"), `Running on port ${app.port}: ${TAKEN} was taken.`);
    // And the API says the same.
    const view = (await (await fetch(`${app.url}api/config`)).json()) as { running: Record<string, { value: unknown; note: string }> };
    expect(view.running["server.port"]).toEqual({ value: app.port, note: `running on port ${app.port}: ${TAKEN} was taken` });
    mkdirSync(SHOTS, { recursive: true });
    await settings().locator('nav button[data-group="devices"]').click();
    await page.mouse.move(640, 790);
    await page.screenshot({ path: join(SHOTS, "settings.png") });
  });

  test("on a phone the sections list wraps above the form and nothing is wider than the screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await until(async () => (await settings().locator("nav").boundingBox())!.width < 390, "the narrow layout");
      const nav = (await settings().locator("nav").boundingBox())!;
      const form = (await section("image").boundingBox())!;
      expect(form.y).toBeGreaterThan(nav.y + nav.height - 1);
      const overflow = await settings().evaluate((el) => [el.scrollWidth - el.clientWidth, document.documentElement.scrollWidth - window.innerWidth]);
      expect(overflow.every((o) => o <= 0)).toBe(true);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  test("the LAN switch appears once: in the Other devices card, not as a field", async () => {
    expect(await settings().locator("input.allow-lan").count()).toBe(1);
    expect(await field("server.allow_lan").count()).toBe(0);
    expect(await settings().getByText("Allow other devices on this network").count()).toBe(1);
    expect(await section("devices").locator("ed-lan-card").count()).toBe(1);
  });
});

describe("other devices", () => {
  test("the switch lets other devices in at once; the QR code and login link appear; a new token replaces them", async () => {
    const card = page.locator("ed-settings-app ed-lan-card");
    expect(await card.locator(".qr").count()).toBe(0);
    await card.locator("input.allow-lan").check();
    await card.locator(".qr svg").waitFor({ timeout: 10_000 });
    expect(app.ctx.listening?.host).toBe("0.0.0.0");
    expect((await config()).server!.allow_lan).toBe(true);
    // The address setting says where the app listens now (it keeps 127.0.0.1 for when the switch is off).
    await openAdvanced();
    await waitText(field("server.host").locator(".running"), "Listening on all network interfaces (0.0.0.0): other devices are allowed.");
    expect(await control("server.host").inputValue()).toBe("127.0.0.1");
    const links = await card.locator(".link code").allTextContents();
    const token = readFileSync(app.ctx.paths.lanToken, "utf8").trim();
    expect(links.length).toBeGreaterThan(0);
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
    await until(async () => (await field("server.host").locator(".running").count()) === 0, "no running note once back on 127.0.0.1");
  });
});

describe("settings", () => {
  test("renders every schema key with the right control", async () => {
    await openAdvanced();
    expect(await control("models.idle_unload_minutes").getAttribute("type")).toBe("number");
    expect(await control("models.warm_start").getAttribute("type")).toBe("checkbox");
    expect(await control("models.civitai_token").getAttribute("type")).toBe("password");
    expect(await field("models.extra_folders").locator("textarea").count()).toBe(1);
    expect(await control("ui.open_window").getAttribute("type")).toBe("checkbox");
    expect(await control("engine.backend").evaluate((e) => e.tagName)).toBe("SELECT");
    expect(await control("engine.backend").locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(["auto", "cuda", "vulkan", "rocm", "metal", "cpu"]);
    expect(await control("server.port").getAttribute("type")).toBe("number");
    expect(await control("server.port").getAttribute("min")).toBe("1");
    expect(await control("server.port").getAttribute("max")).toBe("65535");
    expect(await control("engine.release_repo").getAttribute("type")).toBe("text");
    await waitText(field("engine.flash_attention").locator(".help"), /flash attention.*default: on/i);
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
    expect((await config()).server!.port).toBe(TAKEN);
    expect(readFileSync(app.paths.config, "utf8")).toBe(before);
    // The edit stays, so the user can fix it; Discard brings back the saved value.
    expect(await control("server.port").inputValue()).toBe("70000");
    await page.click("ed-settings-app button:not(.primary)");
    await until(async () => (await control("server.port").inputValue()) === String(TAKEN), "discarded edit");
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
