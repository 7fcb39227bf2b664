/**
 * Shared setup for the UI tests: the real app (startApp) on a random high
 * port with a temporary data dir and the built UI, and Debian's Chromium via
 * playwright-core. One browser per test file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertChromium, CHROMIUM } from "../kit/needs";
import { chromium, type Browser, type Page } from "playwright-core";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp, type RunningApp } from "../../launcher/start";
import { assets } from "../../ui/dist/manifest";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchBrowser(): Promise<Browser> {
  assertChromium();
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export function tempDataDir(prefix = "ed-ui-"): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A port in 20000–49999; startApp moves on to the next free one if it is taken. */
export function randomPort(): number {
  return 20000 + Math.floor(Math.random() * 30000);
}

/** `port` null: no --port, the port follows config.yaml as for a user. */
export function startUiApp(dataDir: string, port: number | null = randomPort()): Promise<RunningApp> {
  return startApp({
    // No --host: the address follows config.yaml (127.0.0.1 unless other devices are allowed), as for a user.
    run: { server: false, noOpen: true, dataDir, port: port ?? undefined },
    env: { ...readEnv({}), edHome: undefined },
    services: [],
    ui: assets,
    log: silentLogger,
  });
}

/** Opens the app and waits until the shell restored its tabs. */
export async function openShell(page: Page, url: string) {
  const problems: string[] = [];
  const onResponse = (r: import("playwright-core").Response) => {
    if (r.status() >= 400 && !r.url().includes("/api/")) problems.push(`${r.status()} ${r.url()}`);
  };
  const onError = (e: Error) => problems.push(`page error: ${e.message}`);
  page.on("response", onResponse);
  page.on("pageerror", onError);
  try {
    await page.goto(url);
    await page.waitForSelector("body[data-ready='1']", { state: "attached", timeout: 15000 });
  } catch (err) {
    throw new Error(`the shell did not get ready (${problems.join("; ") || "no failed asset or page error"}): ${(err as Error).message}`);
  } finally {
    page.off("response", onResponse);
    page.off("pageerror", onError);
  }
}

/** Polls `check` until it returns true (no fixed sleeps). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await Bun.sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits until the locator's text matches (Playwright's expect is not part of playwright-core). */
export async function waitText(locator: import("playwright-core").Locator, want: string | RegExp, timeoutMs = 10000): Promise<string> {
  let last = "";
  try {
    await until(async () => {
      last = ((await locator.first().textContent({ timeout: 1000 }).catch(() => "")) ?? "").replace(/\s+/g, " ").trim();
      return typeof want === "string" ? last === want : want.test(last);
    }, "text", timeoutMs);
  } catch {
    throw new Error(`expected text ${want} but saw "${last}"`);
  }
  return last;
}
