/**
 * Setup for the Image workspace tests: the real app (startApp) with the
 * queue's routes, a data folder holding model files, and helpers to drop
 * files and read the form from the page. Browser and app helpers come from
 * the shell's harness (tests/ui/harness.ts).
 */
import { mkdirSync } from "node:fs";
import { TELLTALES, writeSafetensors } from "../models/fixtures";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { EngineManager } from "../../engine/manager";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import type { ServiceFactory } from "../../core/services";
import { promptsService } from "../../prompts/service";
import { startApp, type RunningApp } from "../../launcher/start";
import { assets } from "../../ui/dist/manifest";
import { modelsService, type ModelsServiceOptions } from "../../models/service";
import type { ModelUse } from "../../models/use";
import { queueService } from "../../queue/service";
import { upscaleTaskKinds, withUpscale } from "../../upscale/service";
import { managerFor } from "../queue/harness";
import type { StandinConfig } from "../standin/config";
import { standinInstalled } from "../standin/fixtures";
import { randomPort } from "../ui/harness";

/** Where the tests leave their screenshots (looked at by people, not compared). */
export const SHOTS = join(tmpdir(), "ed-ui-image-shots");
mkdirSync(SHOTS, { recursive: true });

import { launchBrowser, openShell, tempDataDir, until } from "../ui/harness";

export { launchBrowser, openShell, tempDataDir, until, waitText } from "../ui/harness";

/** Model files the form lists (the stand-in accepts any file). */
export function seedModels(dataDir: string) {
  const models = join(dataDir, "models");
  // Real (tiny, sparse) safetensors headers: the model list offers only files it can read.
  for (const [kind, name, telltale] of [
    ["stable-diffusion", "sd-test.safetensors", "sd1"],
    ["stable-diffusion", "other.safetensors", "sd1"],
    ["lora", "detail.safetensors", "lora_sd1"],
    ["vae", "vae-ft.safetensors", "vae_sd"],
    ["controlnet", "canny.safetensors", "controlnet"],
  ] as const) {
    mkdirSync(join(models, kind), { recursive: true });
    writeSafetensors(join(models, kind, name), TELLTALES[telltale]!);
  }
}

export function startImageApp(dataDir: string, services: ServiceFactory[]): Promise<RunningApp> {
  return startApp({
    run: { server: false, noOpen: true, dataDir, port: randomPort(), host: "127.0.0.1" },
    env: { ...readEnv({}), edHome: undefined },
    services,
    ui: assets,
    log: silentLogger,
  });
}

/** The visible Image tab's element (Playwright's CSS pierces shadow roots). */
export const activeTab = (page: Page) => page.locator("ed-shell section.pane:not([hidden]) ed-image-app");

/** Drops a file on an element, as a user dragging it from the file manager would. */
export async function dropFile(page: Page, target: import("playwright-core").Locator, bytes: Uint8Array, name: string, type = "image/png") {
  const b64 = Buffer.from(bytes).toString("base64");
  const dataTransfer = await page.evaluateHandle(
    ({ b64, name, type }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type }));
      return dt;
    },
    { b64, name, type },
  );
  await target.dispatchEvent("dragover", { dataTransfer });
  await target.dispatchEvent("drop", { dataTransfer });
}

/** Reads the value of a named form control inside the active tab. */
export async function fieldValue(page: Page, name: string): Promise<string> {
  return activeTab(page).locator(`[name="${name}"]`).first().inputValue();
}

/**
 * The engine and queue services as the app runs them, on the stand-in
 * engine installed under `engineRoot` (outside the data folder, so a test
 * can check the data folder alone).
 */
export function generateServices(
  engineRoot: string,
  standin: Partial<StandinConfig> = {},
  models: ModelsServiceOptions = {},
): ServiceFactory[] {
  const build = standinInstalled(engineRoot, "cpu", standin);
  let manager: EngineManager | undefined;
  // The engine manager the queue's own end-to-end tests use; stopped after the queue.
  const engineService: ServiceFactory = (ctx) => {
    manager = managerFor(ctx, build);
    return { name: "engine", stop: () => manager?.stop() };
  };
  const queueFactory = queueService({ engine: () => manager!, pollMinMs: 20, pollMaxMs: 100, ...upscaleTaskKinds });
  // As launcher/wiring.ts: the queue tells the models service what the tasks used (the last model set).
  let modelUse: ModelUse | undefined;
  const queue: ServiceFactory = async (ctx) => {
    const service = await queueFactory(ctx);
    modelUse = service.modelUse;
    return service;
  };
  return [engineService, modelsService({ hashInBackground: false, ...models, use: () => modelUse }), ...withUpscale(queue), promptsService];
}

export interface GeneratingSession {
  browser: Browser;
  app: RunningApp;
  page: Page;
  dataDir: string;
  /** Uncaught errors in the page. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Chromium on the shell of the app started on a fresh data folder (filled by
 * `prepare` first) with the services built for a fresh engine folder.
 */
export async function openSession(prefix: string, services: (engineRoot: string) => ServiceFactory[], prepare: (dataDir: string) => void = () => {}): Promise<GeneratingSession> {
  const data = tempDataDir(`${prefix}-`);
  const engineRoot = tempDataDir(`${prefix}-engine-`);
  prepare(data.dir);
  const [browser, app] = await Promise.all([launchBrowser(), startImageApp(data.dir, services(engineRoot.dir))]);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await openShell(page, app.url);
  return {
    browser,
    app,
    page,
    dataDir: data.dir,
    pageErrors,
    async close() {
      await browser.close();
      await app.stop();
      data.remove();
      engineRoot.remove();
    },
  };
}

/**
 * The whole thing for a generating test: data folder with models, the app
 * with engine and queue on the stand-in, Chromium on the shell with a
 * model chosen in the first Image tab.
 */
export async function openGenerating(prefix: string, standin: Partial<StandinConfig> | ((engineRoot: string) => Partial<StandinConfig>)): Promise<GeneratingSession> {
  const session = await openSession(prefix, (engineRoot) => generateServices(engineRoot, typeof standin === "function" ? standin(engineRoot) : standin), seedModels);
  await until(async () => (await fieldValue(session.page, "model").catch(() => "")) !== "", "a model selected");
  return session;
}
