/**
 * Settings → Workers in real Chromium against the real app (the workers
 * service over the queue), with a real other computer: an Easy Diffusion in a
 * network namespace of its own (tests/workers/computers.ts). Pasting its
 * login link with a wrong token lists it as refused with the reason; pasting
 * the right link replaces the token: ready, with its models; Remove; the
 * download switch is saved. Needs root and iproute2 for the other computer.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { RunningApp } from "../../launcher/start";
import { need } from "../kit/needs";
import { tempData } from "../queue/harness";
import { OtherComputer } from "../workers/computers";
import { launchBrowser, until, waitText } from "./harness";
import { openWorkersCard, startWorkersApp } from "./workers-harness";

setDefaultTimeout(30_000);

const other = new OtherComputer();
const available = need("network namespaces (root and iproute2)", process.getuid?.() === 0 && other.make(), "run as root with iproute2");
const data = tempData("ed-ui-workers-");
let browser: Browser;
let app: RunningApp;
let stopApp: (() => Promise<void>) | undefined;
let page: Page;

const card = () => page.locator("ed-settings-app ed-workers-card");
const rows = () => card().locator("li");

beforeAll(async () => {
  if (!available) return;
  const [b, a] = await Promise.all([
    launchBrowser(),
    startWorkersApp(data.dir),
    other.start([{ kind: "stable-diffusion", name: "sd-test.safetensors", bytes: "A" }]),
  ]);
  [browser, { app, stop: stopApp }] = [b, a];
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("dialog", (d) => void d.accept());
  await openWorkersCard(page, app.url);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stopApp?.();
  other.remove();
  data.remove();
});

describe.skipIf(!available)("Settings → Workers", () => {
  test("a login link with a wrong token: listed as refused, with the worker's reason", async () => {
    const wrong = new URL(other.link);
    wrong.searchParams.set("token", "x".repeat(43));
    await card().locator("input.link").fill(wrong.href);
    await card().locator("input.name").fill("studio-pc");
    await card().locator("button.add").click();
    await waitText(rows().locator(".state"), "Refused");
    expect(await rows().locator(".name").textContent()).toBe("studio-pc");
    const reason = await rows().locator(".reason").textContent();
    expect(reason).toContain("401");
    expect(reason).toContain("token");
    // The form is cleared; the token is never shown back.
    expect(await card().locator("input.link").inputValue()).toBe("");
    expect(await card().textContent()).not.toContain("x".repeat(43));
  });

  test("its right login link replaces the token: the same worker, ready, with its models", async () => {
    await card().locator("input.link").fill(other.link);
    await card().locator("button.add").click();
    await waitText(rows().locator(".state"), "Ready");
    expect(await rows().count()).toBe(1);
    expect(await rows().locator(".name").textContent()).toBe("studio-pc");
    expect(await rows().locator(".models").textContent()).toBe("1 model");
    expect(await rows().locator(".url").textContent()).toBe(other.origin);
    expect(await card().locator(".reason").count()).toBe(0);
    expect(await card().textContent()).not.toContain(new URL(other.link).searchParams.get("token")!);
    await card().screenshot({ path: join(tmpdir(), "ed-workers-card.png") });
  });

  test("Remove", async () => {
    await rows().locator("button.remove").click();
    await card().locator("p.none").waitFor();
    expect(((await (await fetch(new URL("/api/workers", app.url))).json()) as { workers: unknown[] }).workers).toEqual([]);
  });

  test("the download switch is saved", async () => {
    await card().locator("input.download-missing").check();
    const saved = async () => ((await (await fetch(new URL("/api/workers", app.url))).json()) as { download_missing: boolean }).download_missing;
    await until(saved, "download_missing saved");
    await page.reload();
    await page.waitForSelector("body[data-ready='1']", { state: "attached" });
    await until(async () => (await card().locator("input.download-missing").isChecked().catch(() => false)) === true, "the switch shown on");
  });
});
