/**
 * The last step of a source build: the staged program must start and answer
 * once before it is installed. With a model set (the engine's last one, when
 * the engine is not running: two copies of a model may not fit in memory) a
 * private Supervisor starts it like the engine does and waits for its first
 * HTTP answer; without one (first run before any model is there, the CLI)
 * `sd-server --help` must exit 0, which still catches a program that cannot
 * load on this system. A failure is BuildError("start") with its last lines.
 */
import { checkServerRuns } from "../install/import";
import { buildServerArgs, type EngineFlags } from "../process/args";
import { Supervisor, type SupervisorOptions } from "../process/supervisor";
import type { EngineErrorInfo, InstalledBuild, ModelSet } from "../types";
import { BuildError } from "./runner";

/** Starts a staged build once; throws BuildError("start") when it does not answer. */
export type StartCheck = (build: InstalledBuild) => Promise<void>;

export interface StartCheckOptions {
  /** The model set to start with, when one is known. */
  models?: () => ModelSet | undefined;
  flags?: () => EngineFlags;
  supervisor?: Omit<SupervisorOptions, "logFile">;
}

function startError(info: EngineErrorInfo | undefined, fallback: string, lines: string[]): BuildError {
  const tail = info?.lastLines?.length ? info.lastLines : lines;
  return new BuildError("start", `the built sd-server did not start: ${info?.message ?? fallback}`, tail.slice(-20));
}

export function startCheck(o: StartCheckOptions = {}): StartCheck {
  return async (build) => {
    const models = o.models?.();
    const flags = o.flags?.();
    if (!models || !flags) {
      try {
        await checkServerRuns(build.serverPath);
      } catch (err) {
        throw startError((err as { info?: EngineErrorInfo }).info, (err as Error).message, []);
      }
      return;
    }
    const sup = new Supervisor({ ...o.supervisor, maxRestarts: 0 });
    try {
      await sup.start([build], (port) => buildServerArgs(flags, models, port));
    } catch (err) {
      throw startError((err as { info?: EngineErrorInfo }).info, (err as Error).message, sup.log.tail(20));
    } finally {
      await sup.stop();
    }
  };
}
