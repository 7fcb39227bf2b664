/**
 * The real app wired as launcher/wiring.ts wires the engine pool: the engine service (engine/service.ts
 * engineParts, its pool over a stand-in build that plays N CUDA GPUs), the models service, the queue
 * running on the pool's executors (queue/engine-pool.ts) and the A1111/OpenAI routes. GPU memory comes
 * from a detection stand-in.
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp } from "../../launcher/start";
import type { AppContext } from "../../core/server/context";
import { engineParts } from "../../engine/service";
import type { EnginePool } from "../../engine/pool/pool";
import type { InstalledBuild } from "../../engine/types";
import { modelsService, type ModelsService } from "../../models/service";
import { queueService, sharingQueue } from "../../queue/service";
import { compatService } from "../../compat/service";
import { poolExecutors } from "../../queue/engine-pool";
import type { StandinConfig } from "../standin/config";
import { queueAppOf, standin, type QueueApp } from "../queue/harness";

export const GiB = 1024 ** 3;

export interface GpuApp extends QueueApp {
  pool: EnginePool;
  build: InstalledBuild;
  /** Every command line the stand-in builds were started with. */
  argv(): string[][];
}

/** `gpus` stand-in GPUs of `vramGiB` each (as detection reports them); `config` for the stand-in. */
export async function startGpuApp(
  dataDir: string,
  gpus: number,
  vramGiB: number,
  config: Partial<StandinConfig> = {},
  opts: { ui?: Awaited<ReturnType<typeof loadUi>> } = {},
): Promise<GpuApp> {
  const build = standin(dataDir, { gpuMemoryMb: 64_000, gpuCount: gpus, ...config }, "cuda12");
  const parts = engineParts({
    provider: () => ({ builds: async () => [build], installed: () => [build], markGood: () => {} }),
    installOnStart: false,
    gpus: async () => Array.from({ length: gpus }, () => ({ vendor: "nvidia" as const, name: "NVIDIA Stand-in GPU", vramBytes: vramGiB * GiB })),
    supervisor: { backoffMs: 50, stopGraceMs: 2_000, healthIntervalMs: 500, healthTimeoutMs: 1_000, readyTimeoutMs: 20_000 },
  });
  let models: ModelsService | undefined;
  let ctxOf: AppContext | undefined;
  const modelsFactory = modelsService({ hashInBackground: false });
  const queue = sharingQueue(queueService({
    engine: parts.engine,
    executors: (ctx) => poolExecutors(parts.pool(ctx)),
    hashes: () => models?.hashes,
    pollMinMs: 5,
    pollMaxMs: 50,
  }));
  const app = await startApp({
    run: { server: !opts.ui, noOpen: true, dataDir, port: 20000 + Math.floor(Math.random() * 30000), host: "127.0.0.1" },
    ...(opts.ui ? { ui: opts.ui } : {}),
    env: { ...readEnv({}), edHome: undefined },
    services: [
      async (ctx) => {
        ctxOf = ctx;
        return parts.service(ctx);
      },
      async (ctx) => (models = (await modelsFactory(ctx)) as ModelsService),
      queue.factory,
      compatService(() => queue.queue()!),
    ],
    log: silentLogger,
  });
  const pool = parts.pool(ctxOf!);
  const handle = queueAppOf(app, () => pool.primary);
  const argvFile = join(build.dir, "argv.jsonl");
  const argv = () => {
    try {
      return readFileSync(argvFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as string[]);
    } catch {
      return [];
    }
  };
  return Object.assign(handle, { pool, build, argv, stop: async () => {
    await app.stop("test");
  } });
}

/** The built UI (bun scripts/build-ui.ts --dev), for the Chromium tests. */
export const loadUi = async () => (await import("../../ui/dist/manifest")).assets;

/** The value after `flag` in one command line. */
export const flagOf = (args: string[], flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
