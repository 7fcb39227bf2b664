/**
 * Themes and UI font size in real Chromium against the real app: switching
 * the theme in Settings recolours the page, the tab strip, a menu, an Image
 * tab field and a dialog at once; "system" follows the emulated
 * prefers-color-scheme both ways without a reload; the font size scales the
 * UI's text; both survive a reload and are on the page before any script
 * runs (no flash); text/background contrast is ≥ 4.5:1 in both themes,
 * computed from the computed styles (no screenshots).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import type { RunningApp } from "../../launcher/start";
import { loginPage } from "../../launcher/access/login-page";
import { assets } from "../../ui/dist/manifest";
import { launchBrowser, openShell, startUiApp, tempDataDir, until } from "./harness";

setDefaultTimeout(30_000);

let browser: Browser;
let app: RunningApp;
let page: Page;
const data = tempDataDir();

const DARK_BODY = "rgb(32, 33, 36)"; // the mockup's page colour
const LIGHT_BODY = "rgb(247, 247, 248)";

const settingsField = (path: string) => page.locator(`ed-settings-app ed-settings-field[data-path="${path}"]`);
const settingsControl = (path: string) => settingsField(path).locator("input, select").first();
const css = (selector: string, prop: string) =>
  page.locator(selector).first().evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), prop, { timeout: 5000 });
const bodyBackground = () => css("body", "background-color");
const config = async () => ((await (await fetch(`${app.url}api/config`)).json()) as { config: { ui: Record<string, unknown> } }).config;

const IMAGE_FIELD = "ed-shell ed-image-app textarea[name=prompt]";
const STRIP = "ed-shell header";
const ACTIVE_TAB = 'ed-tab-strip [role=tab][aria-selected="true"]';
const INACTIVE_TAB = 'ed-tab-strip [role=tab][aria-selected="false"]';
const STATUS = "ed-status-bar";

/** Opens the main menu, runs `read` while it is open, closes it. */
async function withMenu<T>(read: () => Promise<T>): Promise<T> {
  await page.click("ed-main-menu .trigger");
  await page.locator("ed-main-menu .main").waitFor();
  try {
    return await read();
  } finally {
    await page.keyboard.press("Escape");
  }
}

/** The tile preview's chunk (it loads when first shown), by its build name. */
const TILE_PREVIEW_CHUNK = Object.keys(assets).find((path) => /^\/assets\/ed-tile-preview-[^/]+\.js$/.test(path));

/** A dialog (the tile preview) put on the page for a moment: its backdrop and its button's colours. */
function dialogColours() {
  if (!TILE_PREVIEW_CHUNK) throw new Error("the UI build has no ed-tile-preview chunk");
  return page.evaluate(async (chunk) => {
    await import(chunk);
    const d = document.createElement("ed-tile-preview") as HTMLElement & { updateComplete: Promise<unknown> };
    document.body.append(d);
    await d.updateComplete;
    const button = d.shadowRoot!.querySelector("button")!;
    const out = [getComputedStyle(d).backgroundColor, getComputedStyle(button).backgroundColor, getComputedStyle(button).color];
    d.remove();
    return out;
  }, TILE_PREVIEW_CHUNK);
}

/** Computed colours of the page and a few components, to compare between themes. */
async function snapshot() {
  return {
    body: [await css("body", "background-color"), await css("body", "color")],
    strip: [await css(STRIP, "background-color"), await css(INACTIVE_TAB, "background-color"), await css(ACTIVE_TAB, "color")],
    menu: await withMenu(async () => [await css("ed-main-menu .main", "background-color"), await css("ed-main-menu .main [role=menuitem]", "color")]),
    field: [await css(IMAGE_FIELD, "background-color"), await css(IMAGE_FIELD, "color"), await css(IMAGE_FIELD, "border-top-color")],
    dialog: await dialogColours(),
    scheme: await css("html", "color-scheme"),
  };
}

/** Contrast ratios (WCAG 2) of text on its background, in the page; translucent layers are composited. */
function contrasts(pairs: [string, string, string][]) {
  return page.evaluate((pairs) => {
    const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number) as number[];
    const over = (top: number[], under: number[]) => {
      const a = top[3] ?? 1;
      return [0, 1, 2].map((i) => top[i]! * a + under[i]! * (1 - a));
    };
    const lum = (c: number[]) => {
      const [r, g, b] = c.map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const ratio = (a: number[], b: number[]) => {
      const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
      return (hi! + 0.05) / (lo! + 0.05);
    };
    const body = parse(getComputedStyle(document.body).backgroundColor);
    const probe = (fg: string, bg: string) => {
      // The background as the page draws it: the tint over the page colour.
      const el = document.createElement("div");
      el.style.cssText = `color: var(${fg}); background: var(${bg})`;
      document.body.append(el);
      const s = getComputedStyle(el);
      const out = ratio(over(parse(s.color), over(parse(s.backgroundColor), body)), over(parse(s.backgroundColor), body));
      el.remove();
      return out;
    };
    return pairs.map(([name, fg, bg]) => [name, Math.round(probe(fg, bg) * 100) / 100] as const);
  }, pairs);
}

/** Text/background pairs the UI uses: text and muted text on every surface, state colours where they appear. */
const PAIRS: [string, string, string][] = [
  ...["--ed-body", "--ed-strip", "--ed-tab", "--ed-field", "--ed-surface", "--ed-menu", "--ed-button-hover"].flatMap(
    (bg) => [`--ed-text`, `--ed-muted`].map((fg) => [`${fg} on ${bg}`, fg, bg] as [string, string, string]),
  ),
  ...["--ed-green", "--ed-amber", "--ed-red"].flatMap((fg) => ["--ed-body", "--ed-strip"].map((bg) => [`${fg} on ${bg}`, fg, bg] as [string, string, string])),
  ["--ed-link on --ed-body", "--ed-link", "--ed-body"],
  ["--ed-accent-text on --ed-body", "--ed-accent-text", "--ed-body"],
  ["--ed-accent-text on --ed-menu", "--ed-accent-text", "--ed-menu"],
  ["--ed-on-accent on --ed-primary", "--ed-on-accent", "--ed-primary"],
  ["--ed-on-accent on --ed-primary-hover", "--ed-on-accent", "--ed-primary-hover"],
  ["--ed-text on --ed-primary-soft", "--ed-text", "--ed-primary-soft"],
  ["--ed-red-text on --ed-red-soft", "--ed-red-text", "--ed-red-soft"],
  ["--ed-amber-text on --ed-amber-soft", "--ed-amber-text", "--ed-amber-soft"],
  ["--ed-green-text on --ed-green-soft", "--ed-green-text", "--ed-green-soft"],
];

/** Real components' text: the body, the status bar, tab titles, the Image tab's prompt, Settings' help lines. */
const REAL = ["body", "ed-status-bar .work .text", "ed-status-bar .load .text", "ed-tab-strip [role=tab] .title", IMAGE_FIELD, "ed-settings-field .help", "ed-settings-field .default"];

/** Contrast of an element's text on the nearest background drawn behind it (crossing shadow roots). */
function elementContrast(selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
      let bg = [0, 0, 0, 0];
      for (let n: Element | null = el; n && (bg[3] ?? 1) === 0; ) {
        bg = parse(getComputedStyle(n).backgroundColor);
        if (bg.length === 3) bg.push(1);
        n = n.parentElement ?? ((n.getRootNode() as ShadowRoot).host ?? null);
      }
      const lum = (c: number[]) =>
        c.slice(0, 3).reduce((sum, v, i) => {
          const s = v / 255;
          return sum + [0.2126, 0.7152, 0.0722][i]! * (s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4);
        }, 0);
      const [a, b] = [lum(parse(getComputedStyle(el).color)), lum(bg)].sort((x, y) => y - x);
      return Math.round(((a! + 0.05) / (b! + 0.05)) * 100) / 100;
    }, undefined, { timeout: 5000 });
}

beforeAll(async () => {
  [browser, app] = await Promise.all([launchBrowser(), startUiApp(data.dir)]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openShell(page, app.url);
  // A second tab, so the strip has an inactive one too.
  await page.click("ed-main-menu .trigger");
  await page.click('ed-main-menu [data-command="new-tab"]');
  await page.locator(INACTIVE_TAB).waitFor();
  await page.locator(IMAGE_FIELD).first().waitFor({ state: "attached" });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  data.remove();
});

describe("themes", () => {
  let dark: Awaited<ReturnType<typeof snapshot>>;

  test("dark is the default and the mockup's colours; the page's color-scheme is dark", async () => {
    expect(await css("html", "--ed-font-size")).toBe("14px");
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    dark = await snapshot();
    expect(dark.body).toEqual([DARK_BODY, "rgb(232, 232, 232)"]);
    expect(dark.strip[0]).toBe("rgb(21, 21, 21)");
    expect(dark.menu[0]).toBe("rgb(42, 43, 46)");
    expect(dark.scheme).toBe("dark");
  });

  test("choosing Light in Settings recolours the page, tab strip, menu, Image field and a dialog at once", async () => {
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [data-command="app:settings"]');
    await settingsControl("ui.theme").selectOption("light");
    await page.locator("ed-settings-app button.primary").click();
    await until(async () => (await bodyBackground()) === LIGHT_BODY, "the light page colour");
    expect((await config()).ui.theme).toBe("light");
    const light = await snapshot();
    expect(light.scheme).toBe("light");
    for (const part of ["body", "strip", "menu", "field", "dialog"] as const) {
      light[part].forEach((colour, i) => expect(`${part}[${i}] ${colour}`).not.toBe(`${part}[${i}] ${dark[part][i]}`));
    }
    // Form controls and scrollbars follow: the meta tag the browser reads says so too.
    expect(await page.locator('meta[name="color-scheme"]').getAttribute("content")).toBe("light");
  });

  test("text/background contrast is at least 4.5:1 in both themes (from computed styles)", async () => {
    for (const theme of ["light", "dark"] as const) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      const low = (await contrasts(PAIRS)).filter(([, r]) => r < 4.5);
      expect(`${theme}: ${JSON.stringify(low)}`).toBe(`${theme}: []`);
      // The same check on real components' own colours (background: the nearest one drawn).
      const real: [string, number][] = [];
      for (const sel of REAL) real.push([sel, await elementContrast(sel)]);
      expect(`${theme}: ${JSON.stringify(real.filter(([, r]) => r < 4.5))}`).toBe(`${theme}: []`);
    }
    await page.evaluate(() => (document.documentElement.dataset.theme = "light"));
  });

  test("System follows the computer's light/dark setting both ways, live", async () => {
    await settingsControl("ui.theme").selectOption("system");
    await page.locator("ed-settings-app button.primary").click();
    await until(async () => (await page.evaluate(() => document.documentElement.dataset.theme)) === "system", "the system theme");
    await page.emulateMedia({ colorScheme: "dark" });
    await until(async () => (await bodyBackground()) === DARK_BODY, "dark while the system is dark");
    expect(await css("html", "color-scheme")).toBe("dark");
    await page.emulateMedia({ colorScheme: "light" });
    await until(async () => (await bodyBackground()) === LIGHT_BODY, "light while the system is light");
    expect(await css("html", "color-scheme")).toBe("light");
    expect(await css(STRIP, "background-color")).toBe("rgb(222, 225, 230)");
    await page.emulateMedia({ colorScheme: "dark" });
    await until(async () => (await bodyBackground()) === DARK_BODY, "dark again");
  });

  test("the main menu's Theme entry cycles dark → light → system and saves it", async () => {
    await withMenu(async () => {
      const entry = page.locator('ed-main-menu [data-command="theme"]');
      expect((await entry.textContent())!.trim()).toBe("Theme: System");
      await entry.click();
      await until(async () => (await bodyBackground()) === DARK_BODY && (await entry.textContent())!.trim() === "Theme: Dark", "dark from the menu");
      await until(async () => (await config()).ui.theme === "dark", "dark saved");
      await entry.click();
      await until(async () => (await bodyBackground()) === LIGHT_BODY, "light from the menu");
      await until(async () => (await config()).ui.theme === "light", "light saved");
    });
  });
});

describe("the login page other devices see", () => {
  test("follows that device's light/dark preference, readable in both", async () => {
    const other = await browser.newPage();
    try {
      for (const [scheme, background] of [["dark", "rgb(27, 28, 30)"], ["light", "rgb(241, 243, 244)"]] as const) {
        await other.emulateMedia({ colorScheme: scheme });
        await other.setContent(loginPage({ error: "That token is not right." }));
        const [bg, fg, error] = await other.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector("p")!).color, getComputedStyle(document.querySelector(".error")!).color]);
        expect(bg).toBe(background);
        expect(fg).not.toBe(bg);
        expect(error).not.toBe(bg);
      }
    } finally {
      await other.close();
    }
  });
});

describe("font size", () => {
  test("the UI font size scales the whole UI's text at once", async () => {
    const sizes = async () => {
      const px = async (sel: string) => parseFloat(await css(sel, "font-size"));
      return { body: await px("body"), tab: await px("ed-tab-strip [role=tab] .title"), status: await px(STATUS), field: await px(IMAGE_FIELD), setting: await px("ed-settings-field") };
    };
    const before = await sizes();
    expect(before.body).toBe(14);
    await settingsControl("ui.font_size").fill("21");
    await page.locator("ed-settings-app button.primary").click();
    await until(async () => (await css("html", "font-size")) === "21px", "the new root font size");
    const after = await sizes();
    for (const k of Object.keys(before) as (keyof typeof before)[]) expect(`${k} ${after[k]}`).toBe(`${k} ${Math.round(before[k] * 1.5 * 100) / 100}`);
    expect((await config()).ui.font_size).toBe(21);
  });

  test("theme and font size survive a reload and are on the page before any script runs (no flash)", async () => {
    await page.reload();
    await page.waitForSelector("body[data-ready='1']", { state: "attached" });
    expect(await bodyBackground()).toBe(LIGHT_BODY);
    expect(await css("html", "font-size")).toBe("21px");
    // Without the app's script the page still has its theme and text size: they come with index.html.
    const bare = await browser.newPage();
    await bare.route(/\.js$/, (r) => r.abort());
    await bare.goto(app.url);
    expect(await bare.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.documentElement).fontSize])).toEqual([LIGHT_BODY, "21px"]);
    await bare.close();
  });
});
