/**
 * Command-line parsing: a pure function from argv to a Command, so every
 * flag and error is unit-tested without starting anything.
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import type { EngineBuildCommand } from "../../engine/build-cli";
import type { EngineImportCommand } from "../../engine/import-cli";
import type { WorkerRpcCommand } from "./worker-rpc";
import { NamedError } from "../../core/server/errors";

export class UsageError extends NamedError {
  override name = "UsageError";
  override readonly code = "bad_usage";
  override readonly status = 400;
}

export interface RunOptions {
  server: boolean;
  host?: string;
  port?: number;
  dataDir?: string;
  config?: string;
  /** Do not open a window or browser (server mode always implies no window). */
  noOpen: boolean;
}

export type Command =
  | { kind: "help"; topic?: string }
  | { kind: "version" }
  | { kind: "run"; options: RunOptions }
  | EngineImportCommand
  | EngineBuildCommand
  | WorkerRpcCommand;

const runFlags = {
  server: { type: "boolean" },
  host: { type: "string" },
  port: { type: "string" },
  "data-dir": { type: "string" },
  config: { type: "string" },
  "no-open": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

export function parsePort(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--port must be a number from 1 to 65535, got "${value}"`);
  const port = Number(value);
  if (port < 1 || port > 65535) throw new UsageError(`--port must be from 1 to 65535, got ${port}`);
  return port;
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === "") throw new UsageError(`--${flag} needs a value`);
  return value;
}

function parse<T extends ParseArgsOptionsConfig>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true as const, allowPositionals: true as const });
  } catch (err) {
    // node:util messages name the flag; keep them but drop the internal error code.
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(message);
  }
}

export function parseCommand(argv: string[]): Command {
  if (argv[0] === "engine") return parseEngine(argv.slice(1));
  if (argv[0] === "worker") return parseWorker(argv.slice(1));
  const { values, positionals } = parse(argv, runFlags);
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const host = nonEmpty("host", values.host as string | undefined);
  return {
    kind: "run",
    options: {
      server: !!values.server,
      host,
      port: values.port !== undefined ? parsePort(values.port as string) : undefined,
      dataDir: nonEmpty("data-dir", values["data-dir"] as string | undefined),
      config: nonEmpty("config", values.config as string | undefined),
      noOpen: !!values["no-open"],
    },
  };
}

const BUILD_BACKENDS = ["cpu", "vulkan", "cuda", "rocm"] as const;

function parseEngineBuild(argv: string[]): Command {
  const { values, positionals } = parse(argv, {
    backend: { type: "string" },
    "data-dir": { type: "string" },
    config: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return { kind: "help", topic: "engine" };
  if (positionals.length) throw new UsageError(`engine build takes no arguments (got ${positionals.join(" ")})`);
  const backend = values.backend as string | undefined;
  const knownBackend = backend === undefined || (BUILD_BACKENDS as readonly string[]).includes(backend);
  if (!knownBackend) throw new UsageError(`--backend must be one of ${BUILD_BACKENDS.join(", ")}`);
  return {
    kind: "engine-build",
    ...(backend ? { backend: backend as (typeof BUILD_BACKENDS)[number] } : {}),
    dataDir: nonEmpty("data-dir", values["data-dir"] as string | undefined),
    config: nonEmpty("config", values.config as string | undefined),
  };
}

function parseEngine(argv: string[]): Command {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") return { kind: "help", topic: "engine" };
  if (sub === "build") return parseEngineBuild(rest);
  if (sub !== "import") throw new UsageError(`unknown engine command "${sub}" (try: engine import <zip-or-folder>, engine build)`);
  const { values, positionals } = parse(rest, {
    "data-dir": { type: "string" },
    config: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return { kind: "help", topic: "engine" };
  if (positionals.length !== 1) throw new UsageError("engine import needs exactly one <zip-or-folder>");
  return {
    kind: "engine-import",
    source: positionals[0]!,
    dataDir: nonEmpty("data-dir", values["data-dir"] as string | undefined),
    config: nonEmpty("config", values.config as string | undefined),
  };
}

/** `worker rpc [--port P] [--device D] [--backend B] [--host H]`. */
function parseWorker(argv: string[]): Command {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") return { kind: "help", topic: "worker" };
  if (sub !== "rpc") throw new UsageError(`unknown worker command "${sub}" (try: worker rpc)`);
  const { values, positionals } = parse(rest, {
    port: { type: "string" },
    host: { type: "string" },
    device: { type: "string" },
    backend: { type: "string" },
    "data-dir": { type: "string" },
    config: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return { kind: "help", topic: "worker" };
  if (positionals.length) throw new UsageError(`worker rpc takes no arguments (got ${positionals.join(" ")})`);
  const backend = values.backend as string | undefined;
  if (backend !== undefined && !(BUILD_BACKENDS as readonly string[]).includes(backend))
    throw new UsageError(`--backend must be one of ${BUILD_BACKENDS.join(", ")}`);
  const device = nonEmpty("device", values.device as string | undefined);
  if (device !== undefined && !/^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(device))
    throw new UsageError(`--device takes device names separated by commas, got "${device}"`);
  return {
    kind: "worker-rpc",
    port: values.port !== undefined ? parsePort(values.port as string) : 50052, // the RPC server's usual port (docs/rpc.md at 97d2990)
    host: nonEmpty("host", values.host as string | undefined) ?? "0.0.0.0",
    ...(device ? { device } : {}),
    ...(backend ? { backend: backend as (typeof BUILD_BACKENDS)[number] } : {}),
    dataDir: nonEmpty("data-dir", values["data-dir"] as string | undefined),
    config: nonEmpty("config", values.config as string | undefined),
  };
}
