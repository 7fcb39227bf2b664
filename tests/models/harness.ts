/**
 * The real app (startApp) with the models service (and optionally the
 * queue) on a temporary data folder whose config.yaml may name extra model
 * folders; `api` fetches over the real socket.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import type { ServiceFactory } from "../../core/services";
import { startApp, type RunningApp } from "../../launcher/start";
import { modelsService, type ModelsService, type ModelsServiceOptions } from "../../models/service";

export function tempTree(prefix = "ed-models-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ModelsApp {
  app: RunningApp;
  models: ModelsService;
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startModelsApp(dataDir: string, options: { config?: string; models?: ModelsServiceOptions; more?: ServiceFactory[] } = {}): Promise<ModelsApp> {
  mkdirSync(dataDir, { recursive: true });
  if (options.config) writeFileSync(join(dataDir, "config.yaml"), options.config);
  let models!: ModelsService;
  const factory = modelsService({ hashInBackground: false, ...options.models });
  const app = await startApp({
    run: { server: true, noOpen: true, dataDir, port: 20000 + Math.floor(Math.random() * 30000), host: "127.0.0.1" },
    env: { ...readEnv({}), edHome: undefined },
    services: [async (ctx) => (models = (await factory(ctx)) as ModelsService), ...(options.more ?? [])],
    log: silentLogger,
  });
  const api = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init;
    return fetch(new URL(path, app.url), json === undefined ? rest : { ...rest, body: JSON.stringify(json), headers: { "content-type": "application/json" } });
  };
  return { app, models, api, stop: () => app.stop("test") };
}
