/** What every route file may use; built once in main and injected, so tests build their own. */
import type { ConfigStore } from "../config/store";
import type { Env } from "../env";
import type { EventBus } from "../events/bus";
import type { Logger } from "../log";
import type { Paths } from "../paths";

export interface AppContext {
  paths: Paths;
  config: ConfigStore;
  bus: EventBus;
  log: Logger;
  /** The environment the app started with (absent in tests that build their own context). */
  env?: Env;
  /** Milliseconds between SSE heartbeats. */
  heartbeatMs?: number;
  /** Where the server listens, once it does (start.ts sets it; a move to all interfaces changes it). */
  listening?: ListeningAt;
}

export interface ListeningAt {
  host: string;
  port: number;
  /** The address came from --host. */
  pinned?: boolean;
  /** The port asked for at start (--port or config.yaml); `port` differs when it was taken. */
  wantedPort?: number;
  /** The port came from --port. */
  portPinned?: boolean;
}
