/**
 * The app's source builder: one build at a time, started in the background
 * (progress on the bus as "engine.build" and the tarballs as "download"
 * events of kind "source"), cancellable, with the log under the data dir's
 * logs. Reads the release repo, tag and API base from config engine.*.
 */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { Config } from "../../launcher/config/schema";
import type { EventBus } from "../../launcher/events/bus";
import type { Paths } from "../../launcher/paths";
import type { InstalledBuild } from "../types";
import { buildEngine, type BuildProgress } from "./build-engine";
import type { BuildBackend } from "./cmake-flags";
import type { StartCheck } from "./start-check";
import type { BuildTools } from "../detect/build-candidate";
import { checkToolchain, detectBuildTools, systemProbes, type ToolchainProbes, type ToolchainReport } from "./toolchain";

/** A build is already running. */
export class BuildBusy extends Error {
  override name = "BuildBusy";
}

export interface SourceBuilderOptions {
  config: { readonly config: Config };
  paths: Pick<Paths, "engines" | "downloads" | "logs">;
  bus?: EventBus;
  fetch?: typeof fetch;
  probes?: () => ToolchainProbes;
  env?: Record<string, string | undefined>;
  jobs?: number;
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

  /** The running build, or the last one's final progress (phase "waiting" while an automatic build waits for tools). */
  status(): { running: boolean; progress?: BuildProgress } {
    return { running: !!this.#running, ...(this.#last ? { progress: this.#last } : {}) };
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
  start(backend: BuildBackend, opts: { startCheck?: StartCheck } = {}): { done: Promise<InstalledBuild>; logFile: string } {
    if (this.#running) throw new BuildBusy(`a ${this.#running.backend} build is already running`);
    const cfg = this.#o.config.config.engine;
    const abort = new AbortController();
    const logFile = join(this.#o.paths.logs, `engine-build-${backend}.log`);
    const done = buildEngine({
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
    }).finally(() => (this.#running = undefined));
    this.#running = { backend, abort, done };
    return { done, logFile };
  }

  cancel(): boolean {
    if (!this.#running) return false;
    this.#running.abort.abort();
    return true;
  }
}
