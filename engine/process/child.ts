/**
 * One sd-server process: spawned behind the orphan guard, its stdout and
 * stderr read into lines and progress, asked whether it answers, and
 * stopped politely (SIGTERM, then SIGKILL after a grace period).
 */
import type { Subprocess } from "bun";
import type { EngineErrorInfo, EngineProgress, InstalledBuild } from "../types";
import { classifyFailure, type ClassifyContext, type ExitInfo } from "./errors";
import { startWatchdog, type GuardPlan } from "./guard";
import { ProgressReader, type Segment } from "./progress";

export type OutputHandler = (child: EngineChild, segment: Segment, progress: EngineProgress | undefined, stream: "stdout" | "stderr") => void;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether something answers `GET /` on this loopback port with 2xx within the time. */
export async function answers(port: number, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

export class EngineChild {
  /** The last lines of this process, for classifying how it ended. */
  readonly recent: string[] = [];
  lastActivity = Date.now();
  exit?: ExitInfo;
  readonly exited: Promise<ExitInfo>;
  readonly drained: Promise<unknown>;
  /** We stopped it on purpose. */
  expected = false;
  /** The health check found it unresponsive and killed it. */
  hung = false;
  readyAt = 0;
  readonly proc: Subprocess<"ignore", "pipe", "pipe">;
  /** The command line it runs (the guard's wrapper included). */
  readonly argv: readonly string[];
  #stopWatchdog?: () => void;

  /** Spawns `plan.argv` in the build's folder; throws when the program cannot be started at all. */
  constructor(
    readonly build: InstalledBuild,
    readonly port: number,
    readonly epoch: number,
    plan: GuardPlan,
    env: Record<string, string | undefined>,
    onOutput: OutputHandler,
  ) {
    const proc: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn(plan.argv, { cwd: build.dir, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    this.proc = proc;
    this.argv = plan.argv;
    this.exited = proc.exited.then(() => (this.exit = { code: proc.exitCode, signal: proc.signalCode }));
    this.drained = Promise.all([this.#pump(proc.stdout, "stdout", onOutput), this.#pump(proc.stderr, "stderr", onOutput)]);
    if (plan.watchdog) this.#stopWatchdog = startWatchdog(proc.pid);
  }

  get pid(): number {
    return this.proc.pid;
  }

  answers(timeoutMs: number): Promise<boolean> {
    return answers(this.port, timeoutMs);
  }

  lastLines(n = 20): string[] {
    return this.recent.slice(-n);
  }

  /** After the exit: waits (briefly) for the last output, ends the watchdog. */
  async settle() {
    await Promise.race([this.drained, sleep(1_000)]);
    this.#stopWatchdog?.();
  }

  /** Why it ended, from its last lines and exit status. */
  failure(ctx: ClassifyContext, otherwise: string): EngineErrorInfo {
    if (this.hung) {
      return {
        code: "crashed",
        message: "The engine stopped answering and was restarted.",
        hint: "If this keeps happening, look at the engine log and try another backend.",
        lastLines: this.lastLines(),
      };
    }
    return (
      classifyFailure(this.recent, this.exit, { ...ctx, variant: this.build.variant }) ?? {
        code: "crashed",
        message: otherwise,
        lastLines: this.lastLines(),
      }
    );
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. Returns false when SIGKILL was needed. */
  async stop(graceMs: number): Promise<boolean> {
    this.expected = true;
    let polite = true;
    if (!this.exit) {
      this.proc.kill("SIGTERM");
      polite = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!polite) {
        this.proc.kill("SIGKILL");
        await this.exited;
      }
    }
    this.#stopWatchdog?.();
    return polite;
  }

  async #pump(stream: ReadableStream<Uint8Array>, name: "stdout" | "stderr", onOutput: OutputHandler) {
    const reader = new ProgressReader();
    const handle = (items: ReturnType<ProgressReader["push"]>) => {
      for (const { segment, progress } of items) {
        this.lastActivity = Date.now();
        if (segment.final) {
          this.recent.push(segment.text);
          if (this.recent.length > 200) this.recent.splice(0, this.recent.length - 200);
        }
        onOutput(this, segment, progress, name);
      }
    };
    try {
      for await (const chunk of stream) handle(reader.push(chunk));
    } catch {
      // The pipe closes when the process dies.
    }
    handle(reader.flush());
  }
}
