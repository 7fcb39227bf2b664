/**
 * Settings → Workers' browser tests: the real app with the queue (on the
 * stand-in engine) and the workers service, as launcher/wiring.ts wires them
 * but without model hashes, and the card opened in Chromium.
 */
import type { Page } from "playwright-core";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import type { Engine } from "../../engine/types";
import { startApp, type RunningApp } from "../../launcher/start";
import { queueService, sharingQueue } from "../../queue/service";
import { assets } from "../../ui/dist/manifest";
import { workersService } from "../../workers/service";
import { managerFor, standin } from "../queue/harness";
import { openShell, randomPort } from "./harness";

/** The app on `dataDir`; `stop` stops it and its engine. */
export async function startWorkersApp(dataDir: string): Promise<{ app: RunningApp; stop(): Promise<void> }> {
  let engine: Engine | undefined;
  const shared = sharingQueue(queueService({ engine: (ctx) => (engine = managerFor(ctx, standin(dataDir))) }));
  const app = await startApp({
    run: { server: false, noOpen: true, dataDir, port: randomPort() },
    env: { ...readEnv({}), edHome: undefined },
    services: [shared.factory, workersService({ queue: shared.queue, hashes: () => undefined })],
    ui: assets,
    log: silentLogger,
  });
  return {
    app,
    stop: async () => {
      await app.stop();
      await engine?.stop();
    },
  };
}

/** Opens the shell, then Settings → Workers, and waits until the card listed its workers (none yet). */
export async function openWorkersCard(page: Page, url: string) {
  await openShell(page, url);
  await page.click("ed-main-menu .trigger");
  await page.click('ed-main-menu [data-command="app:settings"]');
  await page.locator('ed-settings-app nav button:has-text("Workers")').click();
  const card = page.locator("ed-settings-app ed-workers-card");
  await card.locator("p.none").waitFor();
  return card;
}
