/**
 * The engine manager's source builds: starting one (backend given, else the
 * plan's), its last step starting the staged program (with the engine's
 * model set only while the engine is not running: two copies of a model may
 * not fit in memory), the engine state while it runs and after it fails, and
 * the automatic build after no usable engine was found (auto-build.ts
 * decides; with tools missing it publishes phase "waiting" and says what to
 * install in the engine's error; a build that failed before is not repeated
 * by itself, only said again). The manager lends its state through
 * BuildHost, so this stays out of its state machine.
 */
import type { EnginePlan } from "../install/provider";
import type { EngineFlags } from "../process/args";
import type { SupervisorOptions } from "../process/supervisor";
import type { EngineStatus, InstalledBuild, ModelSet } from "../types";
import { decideAutoBuild, plannedBuildBackend, type AutoBuildDecision } from "./auto-build";
import type { SourceBuilder } from "./builder";
import type { BuildBackend } from "./cmake-flags";
import { BuildError } from "./runner";
import { startCheck } from "./start-check";

export interface BuildHost {
  builder(): SourceBuilder;
  plan(): Promise<EnginePlan>;
  installed(): InstalledBuild[];
  status(): EngineStatus;
  setStatus(status: EngineStatus): void;
  /** Whether sd-server is running now. */
  running(): boolean;
  /** The engine's last model set, if any. */
  models(): ModelSet | undefined;
  flags(): EngineFlags;
  supervisor?: SupervisorOptions;
  /** Makes a finished build the one to run (a running engine moves onto it). */
  use(build: InstalledBuild): Promise<void>;
}

/** The engine's error for a failed build (its step, message and last log lines). */
function buildFailure(e: { step: string; message: string; logTail: string[] }, hint: string): EngineStatus["error"] {
  return { code: "no_candidate", message: `The engine build failed at the ${e.step} step: ${e.message}`, hint, lastLines: e.logTail };
}

export interface StartedBuild {
  backend: BuildBackend;
  logFile: string;
  done: Promise<InstalledBuild>;
}

/** Starts a build in the background; resolves once it has started. Throws BuildBusy while one runs. */
export async function startSourceBuild(host: BuildHost, backend?: BuildBackend, rpc?: boolean): Promise<StartedBuild> {
  const builder = host.builder();
  const chosen = backend ?? plannedBuildBackend(await host.plan().catch(() => undefined), builder.buildTools());
  const { logFile: _engineLog, ...supervisor } = host.supervisor ?? {};
  const check = startCheck({ models: () => (host.running() ? undefined : host.models()), flags: host.flags, supervisor });
  const { done, logFile } = builder.start(chosen, { startCheck: check, rpc });
  // No engine to show meanwhile: the status bar shows the build; an old error no longer applies.
  const state = host.status().state;
  if (!host.running() && (state === "failed" || state === "absent")) host.setStatus({ state: "absent" });
  const used = done.then(
    async (build) => {
      await host.use(build);
      return build;
    },
    (err) => {
      if (err instanceof BuildError && !host.running() && host.status().state === "absent")
        host.setStatus({ state: "failed", error: buildFailure(err, "See the Engine tab for the log's last lines, then build again.") });
      throw err;
    },
  );
  used.catch(() => {}); // reported on the bus as "engine.build" failed
  return { backend: chosen, logFile, done: used };
}

/**
 * After no usable engine was found: when the plan chose building and no built engine exists,
 * checks the toolchain and builds, or publishes what is missing and says it in the engine's error.
 */
export async function autoSourceBuild(host: BuildHost): Promise<AutoBuildDecision & { started?: boolean }> {
  const builder = host.builder();
  const decision = decideAutoBuild(await host.plan().catch(() => undefined), host.installed());
  if (decision.action !== "build") return decision;
  // The same build failed before (a compile error does not mend itself): say so again instead of spending minutes on it.
  const failed = builder.lastFailure(decision.backend);
  if (failed?.error) {
    builder.republish(failed);
    host.setStatus({ state: "failed", error: buildFailure(failed.error, "Build again from the Engine tab (Build for this machine) once the cause is fixed.") });
    return { ...decision, started: false };
  }
  const report = builder.toolchain(decision.backend);
  if (report.ok) {
    await startSourceBuild(host, decision.backend);
    return { ...decision, started: true };
  }
  builder.waitForTools(report);
  const todo = report.installCommand ? `Install them with \`${report.installCommand}\`, then press Check again in the Engine tab.` : (report.hint ?? "");
  host.setStatus({
    state: "failed",
    error: {
      code: "no_candidate",
      message: `No release build runs on this machine, so the engine is built here; missing to build it: ${report.missing.join(", ")}.`,
      hint: todo,
    },
  });
  return { ...decision, started: false };
}
