/**
 * The API reference page in real Chromium: Swagger UI renders the document
 * (every tag, the A1111 and OpenAI routes), and the page loads nothing from
 * outside the app (no CDN); its colours follow the app's theme.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { apiDocsService } from "../../launcher/api-docs/service";
import type { RunningApp } from "../../launcher/start";
import { launchBrowser, randomPort, tempDataDir } from "../ui/harness";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp } from "../../launcher/start";

setDefaultTimeout(60_000);
const data = tempDataDir("ed-api-docs-");
let app: RunningApp;
let browser: Browser;
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  app = await startApp({ run: { server: true, noOpen: true, dataDir: data.dir, port: randomPort(), host: "127.0.0.1" }, env: { ...readEnv({}), edHome: undefined }, services: [apiDocsService], log: silentLogger });
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on("request", (r) => requests.push(r.url()));
});
afterAll(async () => {
  await browser?.close();
  await app?.stop("test");
  data.remove();
});

describe("/api/docs", () => {
  test("renders every route group from /api/openapi.json, loading nothing from elsewhere", async () => {
    await page.goto(new URL("/api/docs", app.url).href);
    await page.waitForSelector(".opblock-tag", { timeout: 20_000 });
    // From 150 groups and operations on, Swagger UI draws only what is on screen: scroll through the page, a frame at a time.
    const tags = new Set<string>();
    const paths = new Set<string>();
    for (let y = 0; ; y += 500) {
      const end = await page.evaluate(async (top) => {
        window.scrollTo(0, top);
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        return top > document.documentElement.scrollHeight;
      }, y);
      for (const t of await page.locator(".opblock-tag").allTextContents()) tags.add(t.trim());
      for (const p of await page.locator(".opblock-summary-path").allTextContents()) paths.add(p.replace(/\u200b/g, ""));
      if (end) break;
    }
    for (const tag of ["Queue and images", "App", "Engine", "Plugins", "A1111 / Forge compatible", "OpenAI compatible"]) expect([...tags].some((t) => t.startsWith(tag))).toBe(true);
    expect(paths.size).toBeGreaterThan(40);
    expect(paths).toContain("/sdapi/v1/txt2img");
    const origin = new URL(app.url).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith("data:"))).toEqual([]);
  });

  test("follows the app's theme: dark inverts Swagger UI, light leaves it, system follows the computer", async () => {
    const filter = () => page.locator(".swagger-ui").first().evaluate((el) => getComputedStyle(el).filter);
    const show = async (theme: string, scheme: "dark" | "light") => {
      app.ctx.config.update({ ui: { theme: theme as "dark" } });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(new URL("/api/docs", app.url).href);
      await page.waitForSelector(".opblock-tag", { timeout: 20_000 });
      return filter();
    };
    expect(await show("dark", "light")).toContain("invert");
    expect(await show("light", "dark")).toBe("none");
    expect(await show("system", "dark")).toContain("invert");
    expect(await show("system", "light")).toBe("none");
  });
});
