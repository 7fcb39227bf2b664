/**
 * Runs sd-server as a supervised child: a free loopback port, output into a
 * ring + log file and parsed into progress, readiness by polling `GET /`
 * with a deadline that moves while the engine shows activity, health checks
 * (a hung engine is killed), crash → restart with exponential backoff, give
 * up after a few tries, and fall back to the next build when a backend
 * cannot run here at all. Stop = SIGTERM, then SIGKILL after a grace period.
 */
import { systemProbeIO } from "../detect/probe-io";
import { EngineInfoError } from "../info-error";
import type { EngineErrorInfo, EngineProgress, InstalledBuild } from "../types";
import { EngineChild, type OutputHandler } from "./child";
import { FALLBACK_CODES, PERMANENT_CODES, type ClassifyContext, type ExitInfo } from "./errors";
import { guardCommand } from "./guard";
import { Listeners } from "./listeners";
import { EngineLog } from "./log";
import { freePort } from "./port";

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
  /** Tests: force the orphan guard's plan (e.g. "darwin" for the watchdog), or turn it off. */
  platform?: NodeJS.Platform;
  orphanGuard?: boolean;
  setpriv?: string;
}

export interface RunningEngine {
  build: InstalledBuild;
  port: number;
  pid: number;
  /** Increases with every spawn; jobs of an older epoch are gone. */
  epoch: number;
}

export type SupervisorEvent =
  | { type: "starting"; build: InstalledBuild; port: number; epoch: number; attempt: number }
  | { type: "ready"; engine: RunningEngine }
  | { type: "exited"; build: InstalledBuild; epoch: number; exit: ExitInfo; error?: EngineErrorInfo; expected: boolean }
  | { type: "restarting"; build: InstalledBuild; delayMs: number; error: EngineErrorInfo }
  | { type: "fallback"; from: InstalledBuild; to: InstalledBuild; error: EngineErrorInfo }
  | { type: "failed"; error: EngineErrorInfo }
  | { type: "stopped" }
  | { type: "progress"; progress: EngineProgress; epoch: number }
  | { type: "log"; line: string; stream: "stdout" | "stderr" };

/** When waiting for readiness gives up: the base timeout, pushed out by recent output, never past the maximum. */
export function readyDeadline(started: number, lastActivity: number, o: { readyTimeoutMs: number; readyExtendMs: number; readyMaxMs: number }): number {
  return Math.min(started + o.readyMaxMs, Math.max(started + o.readyTimeoutMs, lastActivity + o.readyExtendMs));
}

export class EngineStartError extends EngineInfoError {
  override name = "EngineStartError";
}

type LaunchResult = { ok: true } | { ok: false; error: EngineErrorInfo; fallback: boolean } | { ok: false; stopped: true };

const STOPPED: EngineErrorInfo = { code: "crashed", message: "The engine was stopped while starting." };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Supervisor {
  readonly log: EngineLog;
  #o: Required<Omit<SupervisorOptions, "logFile" | "env" | "classify" | "platform" | "setpriv" | "orphanGuard">> & SupervisorOptions;
  #listeners = new Listeners<SupervisorEvent>();
  #child?: EngineChild;
  #epoch = 0;
  #session = 0;
  #plan?: { builds: InstalledBuild[]; argsFor: (port: number) => string[]; index: number };
  #crashes = 0;
  #health?: ReturnType<typeof setInterval>;

  constructor(options: SupervisorOptions = {}) {
    this.#o = {
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
    this.log = new EngineLog(this.#o.ringLines, options.logFile);
  }

  /**
   * The system's glibc, for "needs glibc 2.39, your system has 2.36": asked
   * only when a start fails (process.report takes ~5 ms, too long for startup).
   */
  #classifyContext(): ClassifyContext {
    return { glibc: process.platform === "linux" ? systemProbeIO().glibcRuntime() : undefined, ...this.#o.classify };
  }

  on(listener: (e: SupervisorEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  /** The engine when it is up and answering. */
  get running(): RunningEngine | undefined {
    const c = this.#child;
    return c && c.readyAt && !c.exit ? { build: c.build, port: c.port, pid: c.pid, epoch: c.epoch } : undefined;
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** Starts the first build that works, best first; resolves once it answers. */
  async start(builds: InstalledBuild[], argsFor: (port: number) => string[]): Promise<RunningEngine> {
    const session = ++this.#session;
    await this.#killChild();
    this.#plan = { builds, argsFor, index: 0 };
    this.#crashes = 0;
    if (builds.length === 0) {
      const error: EngineErrorInfo = { code: "no_candidate", message: "No engine build is installed.", hint: "Install the engine (Engine tab) or import a build." };
      this.#emit({ type: "failed", error });
      throw new EngineStartError(error);
    }
    return this.#bringUp(session);
  }

  /** Restarts the current build with the same arguments (e.g. to stop a running job); not counted as a crash. */
  async restart(): Promise<RunningEngine> {
    if (!this.#plan) throw new EngineStartError({ code: "no_candidate", message: "The engine has not been started." });
    const session = ++this.#session;
    await this.#killChild();
    this.#crashes = 0;
    return this.#bringUp(session);
  }

  async stop(): Promise<void> {
    ++this.#session;
    const had = !!this.#child;
    await this.#killChild();
    if (had) this.#emit({ type: "stopped" });
  }

  #emit(event: SupervisorEvent) {
    this.#listeners.emit(event);
  }

  #note(line: string) {
    this.log.add(line, "launcher");
  }

  /** Tries builds from the plan's current one, restarting with backoff; resolves when one is ready. */
  async #bringUp(session: number, firstError?: EngineErrorInfo): Promise<RunningEngine> {
    const plan = this.#plan!;
    let lastError = firstError;
    /** A retry of the same build waits; a switch to the next build does not. */
    let retry = !!firstError;
    for (;;) {
      if (session !== this.#session) throw new EngineStartError(STOPPED);
      const build = plan.builds[plan.index];
      if (!build) break;
      if (retry && lastError) {
        if (PERMANENT_CODES.has(lastError.code) || this.#crashes > this.#o.maxRestarts) break;
        const delayMs = Math.min(30_000, this.#o.backoffMs * 2 ** (this.#crashes - 1));
        this.#note(`restarting ${build.variant} in ${delayMs} ms after: ${lastError.message}`);
        this.#emit({ type: "restarting", build, delayMs, error: lastError });
        await sleep(delayMs);
        if (session !== this.#session) throw new EngineStartError(STOPPED);
      }
      const result = await this.#launch(build, plan.argsFor, session);
      if ("stopped" in result) throw new EngineStartError(STOPPED);
      if (result.ok) return this.running!;
      lastError = result.error;
      retry = !result.fallback;
      if (result.fallback) {
        const next = plan.builds[plan.index + 1];
        plan.index++;
        this.#crashes = 0;
        if (next) {
          this.#note(`${build.variant} cannot run here (${lastError.code}); trying ${next.variant}`);
          this.#emit({ type: "fallback", from: build, to: next, error: lastError });
        }
        continue;
      }
      this.#crashes++;
    }
    const tries = this.#crashes > this.#o.maxRestarts ? ` Gave up after ${this.#crashes} tries.` : "";
    const error: EngineErrorInfo = lastError
      ? { ...lastError, message: lastError.message + tries }
      : { code: "no_candidate", message: "No engine build could be started." };
    this.#note(`engine failed: ${error.message}`);
    this.#emit({ type: "failed", error });
    throw new EngineStartError(error);
  }

  async #launch(build: InstalledBuild, argsFor: (port: number) => string[], session: number): Promise<LaunchResult> {
    const port = await freePort();
    const argv = [build.serverPath, ...argsFor(port)];
    const plan = this.#o.orphanGuard === false ? { argv, watchdog: false } : guardCommand(argv, this.#o.platform, this.#o.setpriv ?? undefined);
    const epoch = ++this.#epoch;
    this.#note(`starting ${build.tag}/${build.variant}: ${argv.join(" ")}`);
    let child: EngineChild;
    try {
      child = new EngineChild(build, port, epoch, plan, { ...process.env, ...this.#o.env }, this.#onOutput);
    } catch (err) {
      const error: EngineErrorInfo = {
        code: "crashed",
        message: `The engine program ${build.serverPath} cannot be run here (${(err as Error).message}).`,
        hint: "Reinstall the engine, switch to another backend, or import a build for this machine.",
      };
      return { ok: false, error, fallback: true };
    }
    this.#child = child;
    this.#emit({ type: "starting", build, port, epoch, attempt: this.#crashes + 1 });

    const started = Date.now();
    for (;;) {
      if (session !== this.#session) {
        await this.#killChild(child);
        return { ok: false, stopped: true };
      }
      if (child.exit) return this.#failedStart(child);
      if (Date.now() > readyDeadline(started, child.lastActivity, this.#o)) {
        await this.#killChild(child);
        const seconds = Math.round((Date.now() - started) / 1000);
        const error: EngineErrorInfo = {
          code: "start_timeout",
          message: `The engine did not answer within ${seconds} s of starting.`,
          hint: "Look at the engine log; a very large model on a slow disk can take long, try again.",
          lastLines: child.lastLines(),
        };
        return { ok: false, error, fallback: false };
      }
      if (await child.answers(1_000)) {
        if (child.exit) return this.#failedStart(child);
        child.readyAt = Date.now();
        this.#watch(child, session);
        this.#note(`engine ready on 127.0.0.1:${port} (pid ${child.pid})`);
        this.#emit({ type: "ready", engine: { build, port, pid: child.pid, epoch } });
        return { ok: true };
      }
      await Promise.race([sleep(this.#o.pollMs), child.exited]);
    }
  }

  #onOutput: OutputHandler = (child, segment, progress, stream) => {
    if (progress) this.#emit({ type: "progress", progress, epoch: child.epoch });
    if (!segment.final) return;
    this.log.add(segment.text, stream);
    this.#emit({ type: "log", line: segment.text, stream });
  };

  async #failedStart(child: EngineChild): Promise<LaunchResult> {
    await child.settle();
    if (this.#child === child) this.#child = undefined;
    const exit = child.exit!;
    const error = child.failure(this.#classifyContext(), "The engine exited before it was ready.");
    this.#emit({ type: "exited", build: child.build, epoch: child.epoch, exit, error, expected: false });
    const cannotRun = exit.code === 126 || exit.code === 127 || error.message.includes("cannot be run here");
    return { ok: false, error, fallback: FALLBACK_CODES.has(error.code) || cannotRun };
  }

  /** After readiness: health checks, and a restart when the process dies or hangs. */
  #watch(child: EngineChild, session: number) {
    let failures = 0;
    let checking = false;
    clearInterval(this.#health);
    const health = setInterval(async () => {
      if (checking || child.exit || child.expected) return;
      checking = true;
      const ok = await child.answers(this.#o.healthTimeoutMs);
      checking = false;
      failures = ok ? 0 : failures + 1;
      if (failures >= this.#o.healthFailures && !child.exit && !child.expected) {
        this.#note(`engine stopped answering (${failures} health checks failed); killing pid ${child.pid}`);
        child.hung = true;
        child.proc.kill("SIGKILL");
      }
    }, this.#o.healthIntervalMs);
    this.#health = health;
    child.exited.then(async (exit) => {
      clearInterval(health);
      if (child.expected) return;
      await child.settle();
      if (this.#child === child) this.#child = undefined;
      const error = child.failure(this.#classifyContext(), "The engine exited unexpectedly.");
      this.#note(`engine exited (${exit.signal ?? `code ${exit.code}`}): ${error.message}`);
      this.#emit({ type: "exited", build: child.build, epoch: child.epoch, exit, error, expected: false });
      if (session !== this.#session) return;
      if (Date.now() - child.readyAt > this.#o.stableMs) this.#crashes = 0;
      this.#crashes++;
      this.#bringUp(session, error).catch(() => {
        // #bringUp already emitted "failed".
      });
    });
  }

  /** SIGTERM, then SIGKILL after the grace period; waits for the exit. */
  async #killChild(child = this.#child) {
    if (!child) return;
    clearInterval(this.#health);
    if (this.#child === child) this.#child = undefined;
    if (!(await child.stop(this.#o.stopGraceMs))) this.#note(`engine pid ${child.pid} ignored SIGTERM for ${this.#o.stopGraceMs} ms; killed it`);
    this.#emit({ type: "exited", build: child.build, epoch: child.epoch, exit: child.exit ?? { code: null, signal: "SIGTERM" }, expected: true });
  }
}
