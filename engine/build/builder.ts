/**
 * The app's source builder: one build at a time, started in the background
 * (progress on the bus as "engine.build" and the tarballs as "download"
 * events of kind "source"), cancellable, with the log under the data dir's
 * logs. Reads the release repo, tag and API base from config engine.*.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import type { Config } from "../../core/config/schema";
import type { EventBus } from "../../core/events/bus";
import type { Paths } from "../../core/paths";
import type { InstalledBuild } from "../types";
import { buildEngine, type BuildProgress } from "./build-engine";
import { BuildError } from "./runner";
import type { BuildBackend } from "./cmake-flags";
import type { StartCheck } from "./start-check";
import type { BuildTools } from "../detect/build-candidate";
import { checkToolchain, detectBuildTools, systemProbes, type ToolchainProbes, type ToolchainReport } from "./toolchain";
import { NamedError } from "../../core/server/errors";

/** A build is already running. */
export class BuildBusy extends NamedError {
  override name = "BuildBusy";
  override readonly code = "build_running";
  override readonly status = 409;
}

export interface SourceBuilderOptions {
  config: { readonly config: Config };
  paths: Pick<Paths, "engines" | "downloads" | "logs" | "engineBuildFailure">;
  bus?: EventBus;
  fetch?: typeof fetch;
  probes?: () => ToolchainProbes;
  env?: Record<string, string | undefined>;
  jobs?: number;
}

function keepFailure(file: string, kept: { configTag: string; progress: BuildProgress }) {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(kept));
  } catch {
    // Only a convenience for the next start: the failure itself is reported on the bus.
  }
}

export class SourceBuilder {
  #o: SourceBuilderOptions;
  #running?: { backend: BuildBackend; abort: AbortController; done: Promise<InstalledBuild> };
  #last?: BuildProgress;

  constructor(o: SourceBuilderOptions) {
    this.#o = o;
  }

  toolchain(backend: BuildBackend): ToolchainReport {
    return checkToolchain(backend, this.#probes());
  }

  /** Which backend SDKs are installed (nvcc, hipcc, Vulkan SDK). */
  buildTools(): BuildTools {
    return detectBuildTools(this.#probes());
  }

  #probes(): ToolchainProbes {
    return (this.#o.probes ?? (() => systemProbes(this.#o.env)))();
  }

  /** The running build, or the last one's final progress (phase "waiting" while an automatic build waits for tools; a failure kept from an earlier run). */
  status(): { running: boolean; progress?: BuildProgress } {
    const last = this.#last ?? this.lastFailure();
    return { running: !!this.#running, ...(last ? { progress: last } : {}) };
  }

  /** The last failed build of this configured tag and `backend` (any backend when not given), kept across restarts. */
  lastFailure(backend?: BuildBackend): BuildProgress | undefined {
    try {
      const kept = JSON.parse(readFileSync(this.#o.paths.engineBuildFailure, "utf8")) as { configTag?: string; progress?: BuildProgress };
      const p = kept.progress;
      if (kept.configTag !== this.#o.config.config.engine.release_tag || p?.phase !== "failed" || (backend && p.backend !== backend)) return undefined;
      return p;
    } catch {
      return undefined;
    }
  }

  /** Says again (on the bus) how the kept failure ended, for a start that does not repeat it. */
  republish(p: BuildProgress) {
    this.#last = p;
    this.#o.bus?.publish("engine.build", p);
  }

  /** An automatic build cannot start: tools are missing. Published as phase "waiting" with the report. */
  waitForTools(report: ToolchainReport): BuildProgress {
    const cfg = this.#o.config.config.engine;
    const p: BuildProgress = {
      backend: report.backend,
      tag: cfg.release_tag,
      step: "download",
      percent: 0,
      phase: "waiting",
      toolchain: report,
      logFile: join(this.#o.paths.logs, `engine-build-${report.backend}.log`),
    };
    this.#last = p;
    this.#o.bus?.publish("engine.build", p);
    return p;
  }

  /** Starts a build; resolves with the installed build when it ends. Throws BuildBusy while one runs. */
  start(backend: BuildBackend, opts: { startCheck?: StartCheck; rpc?: boolean } = {}): { done: Promise<InstalledBuild>; logFile: string } {
    if (this.#running) throw new BuildBusy(`a ${this.#running.backend} build is already running`);
    const cfg = this.#o.config.config.engine;
    const abort = new AbortController();
    const logFile = join(this.#o.paths.logs, `engine-build-${backend}${opts.rpc ? "-rpc" : ""}.log`);
    const done = buildEngine({
      rpc: opts.rpc,
      apiBase: cfg.api_base,
      repo: cfg.release_repo,
      tag: cfg.release_tag,
      backend,
      engines: this.#o.paths.engines,
      downloadsDir: this.#o.paths.downloads,
      logFile,
      jobs: this.#o.jobs ?? availableParallelism(),
      bus: this.#o.bus,
      fetch: this.#o.fetch,
      env: this.#o.env,
      signal: abort.signal,
      startCheck: opts.startCheck,
      onProgress: (p) => (this.#last = p),
    })
      .then(
        (build) => {
          rmSync(this.#o.paths.engineBuildFailure, { force: true });
          return build;
        },
        (err) => {
          // Kept so the next start does not spend minutes failing the same way (a cancel is not a failure).
          if (err instanceof BuildError && this.#last?.phase === "failed")
            keepFailure(this.#o.paths.engineBuildFailure, { configTag: cfg.release_tag, progress: this.#last });
          throw err;
        },
      )
      .finally(() => (this.#running = undefined));
    this.#running = { backend, abort, done };
    return { done, logFile };
  }

  cancel(): boolean {
    if (!this.#running) return false;
    this.#running.abort.abort();
    return true;
  }
}
