/**
 * Runs the CMake configure and build steps of a source build: each in its
 * own process group (so cancel kills the compilers too), every output line
 * appended to the full log, and the build's own `[ NN%]` lines turned into
 * progress callbacks. A step that fails throws BuildError naming the step
 * with the last lines of its log.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { dirname } from "node:path";
import { buildPercent, tailLines } from "./progress";
import { NamedError } from "../../core/server/errors";

export type BuildStep = "download" | "configure" | "compile" | "install" | "start";

/** A source build that failed at one step; `logTail` holds the last lines of its log. */
export class BuildError extends NamedError {
  override readonly code = "build_failed";
  override readonly status = 500;
  constructor(
    readonly step: BuildStep,
    message: string,
    readonly logTail: string[] = [],
    readonly logFile?: string,
  ) {
    super(message);
    this.name = "BuildError";
  }
}

/** A build stopped by cancel. */
export class BuildCancelled extends NamedError {
  override readonly code = "cancelled";
  override readonly status = 500;
  constructor() {
    super("the build was cancelled");
    this.name = "BuildCancelled";
  }
}

export interface RunStepOptions {
  step: "configure" | "compile";
  argv: string[];
  cwd: string;
  logFile: string;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  onPercent?: (percent: number) => void;
  onLine?: (line: string) => void;
}

/** Runs one step to its end; resolves on exit 0, throws BuildError or BuildCancelled. */
export function runStep(o: RunStepOptions): Promise<void> {
  mkdirSync(dirname(o.logFile), { recursive: true });
  appendFileSync(o.logFile, `$ ${o.argv.join(" ")}\n`);
  let recent = "";
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(new BuildCancelled());
    const child = spawn(o.argv[0]!, o.argv.slice(1), {
      cwd: o.cwd,
      env: { ...process.env, ...o.env } as NodeJS.ProcessEnv,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let cancelled = false;
    const kill = () => {
      cancelled = true;
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    o.signal?.addEventListener("abort", kill, { once: true });
    let partial = "";
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      try {
        appendFileSync(o.logFile, text);
      } catch {
        // The log's folder went away (data dir removed): the build goes on, its tail is still kept in memory.
      }
      recent = (recent + text).slice(-16384);
      const lines = (partial + text).split(/\r?\n/);
      partial = lines.pop() ?? "";
      for (const line of lines) {
        o.onLine?.(line);
        const p = buildPercent(line);
        if (p !== undefined) o.onPercent?.(p);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("error", (err) => {
      o.signal?.removeEventListener("abort", kill);
      reject(new BuildError(o.step, `${o.step} could not start ${o.argv[0]}: ${err.message}`, tailLines(recent), o.logFile));
    });
    child.on("close", (code, sig) => {
      o.signal?.removeEventListener("abort", kill);
      if (cancelled) return reject(new BuildCancelled());
      if (code === 0) return resolve();
      reject(new BuildError(o.step, `${o.step} failed (${code === null ? `signal ${sig}` : `exit ${code}`})`, tailLines(recent), o.logFile));
    });
  });
}

/** Starts a fresh log file for one build. */
export function startLog(logFile: string, header: string) {
  mkdirSync(dirname(logFile), { recursive: true });
  writeFileSync(logFile, `${header}\n`);
}
