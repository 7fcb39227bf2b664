/** The supervisor's timings and knobs, with their defaults, and the readiness deadline they give. */
import type { ClassifyContext } from "./errors";
import type { EngineErrorInfo } from "../types";

export interface SupervisorOptions {
  logFile?: string;
  ringLines?: number;
  /** Base time allowed from spawn to `GET /` answering. */
  readyTimeoutMs?: number;
  /** Output keeps the deadline at least this far ahead (slow loads of big models). */
  readyExtendMs?: number;
  /** Never wait longer than this for readiness. */
  readyMaxMs?: number;
  pollMs?: number;
  healthIntervalMs?: number;
  healthTimeoutMs?: number;
  /** Consecutive failed health checks that count as a hang. */
  healthFailures?: number;
  /** Restarts tried per build before giving up. */
  maxRestarts?: number;
  /** First restart delay; doubles each time, capped at 30 s. */
  backoffMs?: number;
  /** Running this long resets the crash count. */
  stableMs?: number;
  stopGraceMs?: number;
  env?: Record<string, string | undefined>;
  classify?: ClassifyContext;
  /** Why the engine running `argv` exited, when a higher floor knows better than its output (an RPC worker it used gone). */
  explainExit?: (argv: readonly string[]) => EngineErrorInfo | undefined;
  /** Tests: force the orphan guard's plan (e.g. "darwin" for the watchdog), or turn it off. */
  platform?: NodeJS.Platform;
  orphanGuard?: boolean;
  setpriv?: string;
}

/** The options with every timing filled in. */
export type ResolvedSupervisorOptions = Required<
  Omit<SupervisorOptions, "logFile" | "env" | "classify" | "platform" | "setpriv" | "orphanGuard" | "explainExit">
> &
  SupervisorOptions;

export function resolveSupervisorOptions(options: SupervisorOptions): ResolvedSupervisorOptions {
  return {
    ringLines: 1000,
    readyTimeoutMs: 30_000,
    readyExtendMs: 30_000,
    readyMaxMs: 15 * 60_000,
    pollMs: 150,
    // Lenient: a busy CPU can slow sd-server's HTTP thread, and a false "hang" would kill a user's image.
    healthIntervalMs: 3_000,
    healthTimeoutMs: 5_000,
    healthFailures: 4,
    maxRestarts: 3,
    backoffMs: 1_000,
    stableMs: 60_000,
    stopGraceMs: 5_000,
    ...options,
  };
}

/** When waiting for readiness gives up: the base timeout, pushed out by recent output, never past the maximum. */
export function readyDeadline(
  started: number,
  lastActivity: number,
  o: { readyTimeoutMs: number; readyExtendMs: number; readyMaxMs: number },
): number {
  return Math.min(started + o.readyMaxMs, Math.max(started + o.readyTimeoutMs, lastActivity + o.readyExtendMs));
}
