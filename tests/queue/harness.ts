/**
 * The real app (startApp) with the models, queue and upscale services wired
 * as launcher/wiring.ts wires them, on a temporary data dir, a model folder
 * the stand-in accepts, and a recorder of bus events.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { TELLTALES, writeSafetensors } from "../models/fixtures";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Engine, InstalledBuild } from "../../engine/types";
import { readEnv } from "../../core/env";
import type { BusEvent } from "../../core/events/bus";
import { silentLogger } from "../../core/log";
import { startApp, type RunningApp } from "../../launcher/start";
import type { AppContext } from "../../core/server/context";
import { modelsService, type ModelsService } from "../../models/service";
import { queueService, type QueueServiceOptions } from "../../queue/service";
import { upscaleTaskKinds, withUpscale } from "../../upscale/service";
import { FAST, waitFor } from "../standin/fixtures";
import type { StandinConfig } from "../standin/config";
import { standinBuild } from "../standin/pack";
import { EngineManager } from "../../engine/manager";

export function tempData(prefix = "ed-queue-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // Real (tiny, sparse) safetensors headers: the model list offers only files it can read.
  for (const [kind, file, telltale] of [
    ["stable-diffusion", "sd-test.safetensors", "sd1"],
    ["stable-diffusion", "other.safetensors", "sd1"],
    ["lora", "detail.safetensors", "lora_sd1"],
  ]) {
    mkdirSync(join(dir, "models", kind!), { recursive: true });
    writeSafetensors(join(dir, "models", kind!, file!), TELLTALES[telltale!]!);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function standin(root: string, config: Partial<StandinConfig> = {}, variant = "cpu"): InstalledBuild {
  const dir = join(root, "engines", "test-tag", variant);
  return { tag: "test-tag", variant, backend: "cpu", dir, serverPath: standinBuild(dir, { ...FAST, ...config }) };
}

export interface QueueApp {
  app: RunningApp;
  url: string;
  engine: Engine;
  events: BusEvent[];
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

/** The real engine manager over the stand-in build, with test-speed supervision. */
export function managerFor(ctx: AppContext, build: InstalledBuild): EngineManager {
  return new EngineManager({
    provider: { builds: async () => [build], markGood: () => {} },
    flags: () => ctx.config.config.engine,
    bus: ctx.bus,
    supervisor: { backoffMs: 50, stopGraceMs: 2_000, healthIntervalMs: 500, healthTimeoutMs: 1_000, readyTimeoutMs: 20_000 },
  });
}

export async function startQueueApp(
  dataDir: string,
  build: InstalledBuild,
  engineFor: (ctx: AppContext, build: InstalledBuild) => Engine = managerFor,
  queueOptions: Omit<QueueServiceOptions, "engine"> = {},
): Promise<QueueApp> {
  let engine!: Engine;
  let models: ModelsService | undefined;
  const modelsFactory = modelsService({ hashInBackground: false });
  const engineOf = (ctx: AppContext) => (engine = engineFor(ctx, build));
  const [queue, upscale] = withUpscale(queueService({ ...upscaleTaskKinds, ...queueOptions, hashes: () => models?.hashes, engine: engineOf }));
  const app = await startApp({
    run: { server: true, noOpen: true, dataDir, port: 20000 + Math.floor(Math.random() * 30000), host: "127.0.0.1" },
    env: { ...readEnv({}), edHome: undefined },
    services: [
      async (ctx) => (models = (await modelsFactory(ctx)) as ModelsService),
      queue,
      upscale,
    ],
    log: silentLogger,
  });
  return queueAppOf(app, () => engine);
}

/** The test handle of a started app: its events, a JSON-aware `api`, and a stop that also ends the engine. */
export function queueAppOf(app: RunningApp, engine: () => Engine): QueueApp {
  const events: BusEvent[] = [];
  app.ctx.bus.subscribe((e) => events.push(e));
  const api = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init;
    return fetch(new URL(path, app.url), json === undefined ? rest : { ...rest, body: JSON.stringify(json), headers: { "content-type": "application/json", ...(rest.headers ?? {}) } });
  };
  return {
    app,
    url: app.url,
    get engine() {
      return engine();
    },
    events,
    api,
    stop: async () => {
      await app.stop("test");
      await engine().stop();
    },
  };
}

/** Polls until the probe gives a value (no fixed sleeps). */
export const until = waitFor;

export async function taskState(q: QueueApp, id: string) {
  return (await (await q.api(`/api/tasks/${id}`)).json()) as {
    id: string;
    state: string;
    progress: { phase?: string; step: number; steps: number; rate: number | null; eta: number | null };
    images: { id: string; url: string; seed: number }[];
    error?: { code: string; message: string };
  };
}

export const waitState = (q: QueueApp, id: string, states: string[], timeoutMs = 30_000) =>
  until(`task ${id} in ${states.join("/")}`, async () => {
    const t = await taskState(q, id);
    return states.includes(t.state) && t;
  }, timeoutMs);
