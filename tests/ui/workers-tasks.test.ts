/**
 * Where a task runs, in real Chromium against the real app (models, queue,
 * workers, as launcher/wiring.ts wires them: tests/workers/coordinator.ts)
 * with a real other computer (an Easy Diffusion in a network namespace of its
 * own, tests/workers/computers.ts) working for it, this computer's own engine
 * taken off the queue so the task goes there. A picture made from the Image
 * tab says "on studio-pc" on its card and in the queue panel while it runs and
 * after (also after a reload: task.notes.worker, GET /api/tasks/:id); the
 * status bar counts the workers busy and ready from `workers.changed`, also
 * right after a reload (the stream replays the latest). Needs root and
 * iproute2 for the other computer.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp, type RunningApp } from "../../launcher/start";
import { promptsService } from "../../prompts/service";
import { assets } from "../../ui/dist/manifest";
import { need } from "../kit/needs";
import { tempData } from "../queue/harness";
import { activeTab, fieldValue } from "../ui-image/harness";
import { OtherComputer, writeModel } from "../workers/computers";
import { coordinatorServices } from "../workers/coordinator";
import { launchBrowser, openShell, randomPort, until, waitText } from "./harness";

setDefaultTimeout(60_000);

const MODEL = { kind: "stable-diffusion", name: "sd-test.safetensors", bytes: "checkpoint A" };
const other = new OtherComputer();
const available = need("network namespaces (root and iproute2)", process.getuid?.() === 0 && other.make(), "run as root with iproute2");
const data = tempData("ed-ui-worker-tasks-");
const parts = coordinatorServices(data.dir);
let browser: Browser;
let app: RunningApp;
let page: Page;

const api = async <T>(path: string, init: RequestInit = {}) => (await (await fetch(new URL(path, app.url), init)).json()) as T;
const statusWorkers = () => page.locator("ed-status-bar .workers .text");
const results = () => activeTab(page).locator("ed-results");
const queuePanel = () => activeTab(page).locator("ed-queue-panel");

beforeAll(async () => {
  if (!available) return;
  writeModel(data.dir, MODEL);
  [browser, app] = await Promise.all([
    launchBrowser(),
    startApp({
      run: { server: false, noOpen: true, dataDir: data.dir, port: randomPort() },
      env: { ...readEnv({}), edHome: undefined },
      services: [...parts.services, promptsService],
      ui: assets,
      log: silentLogger,
    }),
    other.start([MODEL], { stepMs: 150 }),
  ]);
  // This computer's own engine off the queue: the tasks go to the worker.
  const queue = parts.queue()!;
  for (const e of queue.executors.list()) if (e.kind === "engine") queue.executors.remove(e.id);
  const added = await api<{ state: string }>("/api/workers", {
    method: "POST",
    body: JSON.stringify({ link: other.link, name: "studio-pc" }),
    headers: { "content-type": "application/json" },
  });
  expect(added.state).toBe("ready");
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openShell(page, app.url);
  await until(async () => (await fieldValue(page, "model").catch(() => "")) !== "", "a model selected");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await parts.handles.engine?.stop();
  other.remove();
  data.remove();
});

describe.skipIf(!available)("a task on another computer", () => {
  let id = "";

  test("the status bar counts the workers: one ready", async () => {
    await waitText(statusWorkers(), "Workers: 0 busy · 1 ready");
    expect(await page.locator("ed-status-bar .workers").getAttribute("title")).toContain("studio-pc ready");
  });

  test("while it runs there: 'on studio-pc' on its card and in the queue, the worker busy in the status bar", async () => {
    const tab = activeTab(page);
    // The queue's harness gives this computer other models too: the worker has only this one.
    await tab.locator("select#model").selectOption(MODEL.name);
    await tab.locator("textarea#prompt").fill("a lighthouse made elsewhere");
    await tab.locator("input#steps").fill("20");
    await tab.locator("input#width").fill("64");
    await tab.locator("input#height").fill("64");
    await tab.locator("textarea#prompt").press("Control+Enter");
    await waitText(results().locator('section.task[data-state="running"] [data-role="worker"]'), "on studio-pc", 30_000);
    await waitText(queuePanel().locator('li[data-state="running"] [data-role="worker"]'), "on studio-pc");
    await waitText(statusWorkers(), "Workers: 1 busy · 0 ready");
    await page.screenshot({ path: join(tmpdir(), "ed-worker-task.png") });
    id = (await results().locator("section.task").first().getAttribute("data-task"))!;
    expect(id).toBeTruthy();
  });

  test("after: the card still says where it was made, the worker is ready again", async () => {
    await waitText(results().locator(`section.task[data-task="${id}"][data-state="succeeded"] [data-role="worker"]`), "on studio-pc", 30_000);
    await waitText(queuePanel().locator(`li[data-id="${id}"][data-state="succeeded"] [data-role="worker"]`), "on studio-pc");
    await waitText(statusWorkers(), "Workers: 0 busy · 1 ready");
    const view = await api<{ state: string; notes?: { worker?: { name: string } } }>(`/api/tasks/${id}`);
    expect(view).toMatchObject({ state: "succeeded", notes: { worker: { name: "studio-pc" } } });
  });

  test("after a reload: the same, from the stored task and the replayed worker states", async () => {
    await page.reload();
    await page.waitForSelector("body[data-ready='1']", { state: "attached" });
    await waitText(statusWorkers(), "Workers: 0 busy · 1 ready");
    await waitText(queuePanel().locator(`li[data-id="${id}"] [data-role="worker"]`), "on studio-pc");
  });
});
