/**
 * `worker rpc` without its printing: the pairing token (made once, kept
 * owner-only in the data dir), the worker program (built once for this
 * machine's backend: GPU where present, else CPU, as an engine build would
 * choose), started on a free loopback port, and our authenticated listener
 * in front of it on the LAN port (default 50052, the RPC server's usual port:
 * docs/rpc.md at 97d2990 "usually localhost:50052").
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { availableParallelism } from "node:os";
import { ConfigStore } from "../core/config/store";
import type { EventBus } from "../core/events/bus";
import type { Paths } from "../core/paths";
import { plannedBackend } from "../engine/build-cli";
import { SourceBuilder } from "../engine/build/builder";
import type { BuildBackend } from "../engine/build/cmake-flags";
import { freePort } from "../engine/process/port";
import { isPairingToken, newPairingToken } from "./handshake";
import { buildWorker, type BuiltWorker } from "./worker-build";
import { startWorkerBackend, type WorkerBackend } from "./worker-backend";
import { startWorkerListener, type ListenerEvent, type WorkerListener } from "./worker-listener";

/** This computer's pairing token as a worker: made the first time, then the same until the file is deleted. */
export function workerToken(file: string): string {
  if (existsSync(file)) {
    const saved = readFileSync(file, "utf8").trim();
    if (isPairingToken(saved)) return saved;
  }
  const token = newPairingToken();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

export interface WorkerRunOptions {
  paths: Paths;
  config: ConfigStore;
  host: string;
  port: number;
  /** ggml device names, comma-separated ("CUDA0,Vulkan1"); undefined: every GPU, else the CPU. */
  device?: string;
  backend?: BuildBackend;
  bus?: EventBus;
  onStep?: (step: string, percent: number) => void;
  onEvent?: (e: ListenerEvent) => void;
  onLine?: (line: string) => void;
}

export interface RunningWorker {
  token: string;
  build: BuiltWorker;
  backend: WorkerBackend;
  listener: WorkerListener;
  stop(): Promise<void>;
}

export async function runWorker(o: WorkerRunOptions): Promise<RunningWorker> {
  const token = workerToken(o.paths.rpcWorkerToken);
  const builder = new SourceBuilder({ config: o.config, paths: o.paths, bus: o.bus });
  const backendKind = o.backend ?? (await plannedBackend(o.config, o.paths, builder));
  const cfg = o.config.config.engine;
  const common = { apiBase: cfg.api_base, repo: cfg.release_repo, tag: cfg.release_tag, engines: o.paths.engines, downloadsDir: o.paths.downloads };
  const build = await buildWorker({
    ...common,
    backend: backendKind,
    builds: o.paths.rpcWorkerBuilds,
    logFile: join(o.paths.logs, `rpc-worker-build-${backendKind}.log`),
    jobs: availableParallelism(),
    bus: o.bus,
    onStep: o.onStep,
    toolchain: () => builder.toolchain(backendKind),
  });
  const loopPort = await freePort();
  const backend = await startWorkerBackend([build.program, `127.0.0.1:${loopPort}`, o.device ?? "auto"], loopPort, { onLine: o.onLine });
  let listener: WorkerListener;
  try {
    listener = await startWorkerListener({ token, host: o.host, port: o.port, backendPort: loopPort, info: backend.info, onEvent: o.onEvent });
  } catch (err) {
    await backend.stop();
    throw err;
  }
  return {
    token,
    build,
    backend,
    listener,
    stop: async () => {
      await listener.stop();
      await backend.stop();
    },
  };
}
