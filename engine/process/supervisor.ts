/**
 * Runs sd-server as a supervised child: a free loopback port, output into a
 * ring + log file and parsed into progress, readiness by polling `GET /`
 * with a deadline that moves while the engine shows activity, health checks
 * (a hung engine is killed, health-watch.ts), crash → restart with
 * exponential backoff, give up after a few tries, and fall back to the next
 * build when a backend cannot run here at all. Stop = SIGTERM, then SIGKILL
 * after a grace period. Options: supervisor-options.ts; events: supervisor-events.ts.
 */
import { engineEnv } from "./engine-env";
import { systemProbeIO } from "../detect/probe-io";
import { EngineInfoError } from "../info-error";
import type { EngineErrorInfo, InstalledBuild } from "../types";
import { EngineChild, type OutputHandler } from "./child";
import { FALLBACK_CODES, PERMANENT_CODES, type ClassifyContext } from "./errors";
import { guardCommand } from "./guard";
import { watchHealth } from "./health-watch";
import { Listeners } from "./listeners";
import { EngineLog } from "./log";
import { freePort } from "./port";
import type { RunningEngine, SupervisorEvent } from "./supervisor-events";
import { readyDeadline, resolveSupervisorOptions, type ResolvedSupervisorOptions, type SupervisorOptions } from "./supervisor-options";

export type { RunningEngine, SupervisorEvent } from "./supervisor-events";
export { readyDeadline, type SupervisorOptions } from "./supervisor-options";

export class EngineStartError extends EngineInfoError {
  override name = "EngineStartError";
}

type LaunchResult = { ok: true } | { ok: false; error: EngineErrorInfo; fallback: boolean } | { ok: false; stopped: true };

const STOPPED: EngineErrorInfo = { code: "crashed", message: "The engine was stopped while starting." };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Supervisor {
  readonly log: EngineLog;
  #o: ResolvedSupervisorOptions;
  #listeners = new Listeners<SupervisorEvent>();
  #child?: EngineChild;
  #epoch = 0;
  #session = 0;
  #plan?: { builds: InstalledBuild[]; argsFor: (port: number) => string[]; index: number };
  #crashes = 0;
  #health?: ReturnType<typeof setInterval>;

  constructor(options: SupervisorOptions = {}) {
    this.#o = resolveSupervisorOptions(options);
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
      const hint = "Install the engine (Engine tab) or import a build.";
      const error: EngineErrorInfo = { code: "no_candidate", message: "No engine build is installed.", hint };
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
      child = new EngineChild(build, port, epoch, plan, engineEnv(process.env, this.#o.env), this.#onOutput);
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
    const error = this.#explained(child, child.failure(this.#classifyContext(), "The engine exited before it was ready."));
    this.#emit({ type: "exited", build: child.build, epoch: child.epoch, exit, error, expected: false });
    const cannotRun = exit.code === 126 || exit.code === 127 || error.message.includes("cannot be run here");
    return { ok: false, error, fallback: FALLBACK_CODES.has(error.code) || cannotRun };
  }

  /** An exit a higher floor explains (an RPC worker gone) carries that reason, with the engine's last lines. */
  #explained(child: EngineChild, e: EngineErrorInfo): EngineErrorInfo {
    const known = this.#o.explainExit?.(child.argv);
    return known ? { ...known, lastLines: e.lastLines } : e;
  }

  /** After readiness: health checks, and a restart when the process dies or hangs. */
  #watch(child: EngineChild, session: number) {
    clearInterval(this.#health);
    const health = watchHealth(child, this.#o, (line) => this.#note(line));
    this.#health = health;
    child.exited.then(async (exit) => {
      clearInterval(health);
      if (child.expected) return;
      await child.settle();
      if (this.#child === child) this.#child = undefined;
      const error = this.#explained(child, child.failure(this.#classifyContext(), "The engine exited unexpectedly."));
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
