/**
 * The engine manager: the Engine the queue uses, on top of a BuildProvider (installed builds, downloading
 * the best one on first run) and the process supervisor. It owns the state machine
 *   absent → downloading → installed → starting → ready ⇄ busy → restarting → failed | stopped
 * (published by status-board.ts) and which build runs with which model set; jobs go to sd-server's native
 * async API (engine-jobs.ts), where a running one cannot be stopped: cancelling it restarts the process.
 */
import { existsSync } from "node:fs";
import type { EventBus } from "../core/events/bus";
import { buildServerArgs, modelFiles, type EngineFlags } from "./process/args";
import type { EnginePlan } from "./install/provider";
import { BuildSource, type EngineProvider } from "./process/builds";
import { statusAfter } from "./process/state";
import { startFirstThatRuns } from "./process/fallback-start";
import { EngineStartError, Supervisor, type SupervisorEvent, type SupervisorOptions } from "./process/supervisor";
import type { Engine, EngineCapabilities, EngineErrorInfo, EngineEvent, EngineJob, EngineStatus } from "./types";
import type { ImgGenBody, InstalledBuild, ModelSet, VidGenBody } from "./types";
import { cliOf } from "./cli-path";
import { EngineFailure } from "./engine-failure";
import { EngineJobs } from "./engine-jobs";
import { EngineStatusBoard } from "./status-board";
import type { SourceBuilder } from "./build/builder";
import type { BuildBackend } from "./build/cmake-flags";
import type { AutoBuildDecision } from "./build/auto-build";
import { autoSourceBuild, startSourceBuild, type BuildHost, type StartedBuild } from "./build/engine-builds";
export type { EngineProvider } from "./process/builds";
export { EngineFailure } from "./engine-failure";

export interface EngineManagerOptions {
  provider: EngineProvider;
  /** The engine settings, read at every ensure() so a change applies on the next task. */
  flags: () => EngineFlags;
  bus?: EventBus;
  supervisor?: SupervisorOptions;
  /** Installs a local build (folder or zip); used by `POST /api/engine/import`. */
  importer?: (path: string) => Promise<InstalledBuild>;
  /** Builds sd-server from source on this machine; used by `POST /api/engine/build`. */
  builder?: SourceBuilder;
}

export class EngineManager implements Engine {
  readonly supervisor: Supervisor;
  #o: EngineManagerOptions;
  #board: EngineStatusBoard;
  #jobs: EngineJobs;
  #builds: BuildSource;
  #models?: ModelSet;
  #key?: string; // the argv/build key of the running (or starting) process
  #op: Promise<unknown> = Promise.resolve();

  constructor(options: EngineManagerOptions) {
    this.#o = options;
    this.#board = new EngineStatusBoard(options.bus);
    this.supervisor = new Supervisor(options.supervisor);
    this.supervisor.on((e) => this.#onSupervisor(e));
    this.#jobs = new EngineJobs({ supervisor: this.supervisor, board: this.#board, restart: () => this.restart() });
    this.#builds = new BuildSource(options.provider, options.bus);
    options.bus?.on("download", (p) => {
      if (p.kind === "engine" && this.#status.state === "absent") this.#board.set({ state: "downloading" });
    });
  }

  status = (): EngineStatus => ({ ...this.#status });
  on = (listener: (event: EngineEvent) => void): (() => void) => this.#board.on(listener);
  /** The device it runs on, as its flags say ("" = automatic): a pool's GPU engine is pinned to its own. */
  device = (): string => this.#o.flags().device ?? "";

  /** The model set it runs (or last ran) with. */
  modelSet = (): ModelSet | undefined => this.#models;

  logs(lines?: number): string[] {
    return this.supervisor.log.tail(lines);
  }

  /**
   * Makes sure a build is installed (downloading the best one if none is).
   * With a variant or `force` (switch backend, reinstall) the provider installs
   * that one, and a running engine moves onto it.
   */
  install(opts: { variant?: string; force?: boolean; signal?: AbortSignal } = {}): Promise<InstalledBuild[]> {
    return this.#serial(async () => {
      if (opts.variant || opts.force) {
        let installed: boolean;
        try {
          installed = await this.#builds.install(opts);
        } catch (err) {
          throw this.#installFailure(err);
        }
        if (installed && this.#models && this.supervisor.running) {
          await this.#start(this.#models);
          return this.#builds.list();
        }
      }
      return this.#install(opts.signal);
    });
  }

  /** What was detected and chosen, and why (when the provider can say). */
  plan(signal?: AbortSignal): Promise<EnginePlan> {
    return this.#builds.plan(signal);
  }

  /** Installed builds on disk (no network). */
  installed(): InstalledBuild[] {
    return this.#builds.installed();
  }

  /** `sd-cli` of the running build, else of the best installed one (installing one if none is); null when absent. */
  async upscalerPath(): Promise<string | null> {
    const build = this.supervisor.running?.build ?? (await this.install())[0];
    return build ? cliOf(build) : null;
  }

  /** Stops the engine download in progress; its partial file stays, so installing again resumes it. */
  cancelDownload(): boolean {
    return this.#builds.cancelDownload();
  }

  async ensure(models: ModelSet): Promise<void> {
    const key = this.#keyFor(models);
    if (key === this.#key && this.supervisor.running) return;
    await this.#serial(async () => {
      // The supervisor is bringing this very engine back after a crash: let it finish its tries.
      if (key === this.#key && this.#status.state === "restarting") await this.#board.settled();
      if (key === this.#key && this.supervisor.running) return;
      await this.#start(models);
    });
  }

  /** Restarts the process with the same model set and flags (Engine tab, cancel of a running job). */
  restart(): Promise<void> {
    return this.#serial(async () => {
      if (!this.#models) throw new EngineFailure({ code: "no_candidate", message: "The engine has not been started yet: it starts with the first task." });
      if (!this.supervisor.running && this.#status.state !== "ready" && this.#status.state !== "busy") return this.#start(this.#models);
      this.#board.set({ ...this.#status, state: "restarting", error: undefined });
      try {
        await this.supervisor.restart();
      } catch (err) {
        throw this.#failure(err);
      }
    });
  }

  stop(): Promise<void> {
    return this.#serial(async () => {
      this.#key = undefined;
      await this.supervisor.stop();
      this.#board.flushLog();
      if (this.#status.state !== "absent") this.#board.set({ state: "stopped", variant: this.#status.variant, version: this.#status.version });
    });
  }

  /** Installs a local build and makes it the one to run; restarts a running engine on it. */
  async importBuild(path: string): Promise<InstalledBuild> {
    if (!this.#o.importer) throw new EngineFailure({ code: "no_candidate", message: "Importing engine builds is not available in this build." });
    const build = await this.#o.importer(path);
    await this.#useBuild(build);
    return build;
  }

  /** The source builder, or a failure saying building is not available. */
  builder(): SourceBuilder {
    if (!this.#o.builder) throw new EngineFailure({ code: "no_candidate", message: "Building the engine from source is not available in this build." });
    return this.#o.builder;
  }

  /**
   * Starts a source build in the background (backend: given, else the plan's); when it is
   * installed it becomes the build to run, like an import (engine/build/engine-builds.ts).
   */
  startBuild(backend?: BuildBackend, rpc?: boolean): Promise<StartedBuild> {
    return startSourceBuild(this.#buildHost(), backend, rpc);
  }

  /** After no usable engine was found: builds where the plan chose building, or says which tools are missing. */
  autoBuild(): Promise<AutoBuildDecision & { started?: boolean }> {
    return autoSourceBuild(this.#buildHost());
  }

  #buildHost(): BuildHost {
    return {
      builder: () => this.builder(),
      plan: () => this.plan(),
      installed: () => this.installed(),
      status: () => this.#status,
      setStatus: (s) => this.#board.set(s),
      running: () => !!this.supervisor.running,
      models: () => this.#models,
      flags: this.#o.flags,
      supervisor: this.#o.supervisor,
      use: (build) => this.#useBuild(build),
    };
  }

  /** Makes an imported or built build the one to run; a running engine moves onto it. */
  async #useBuild(build: InstalledBuild) {
    this.#builds.prefer(build);
    const state = this.#status.state;
    if (this.#models && this.supervisor.running) await this.#serial(() => this.#start(this.#models!));
    else if (state === "absent" || state === "failed") this.#board.set({ state: "installed", variant: build.variant, version: build.tag });
  }

  submit = (body: ImgGenBody): Promise<string> => this.#jobs.submit(body);
  submitVideo = (body: VidGenBody): Promise<string> => this.#jobs.submit(body, "vid_gen");
  capabilities = (): Promise<EngineCapabilities> => this.#jobs.capabilities();

  poll = (jobId: string): Promise<EngineJob> => this.#jobs.poll(jobId);
  cancel(jobId: string): Promise<void> {
    return this.#jobs.cancel(jobId);
  }

  get #status(): EngineStatus {
    return this.#board.status;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#op.then(fn, fn);
    this.#op = next.catch(() => {});
    return next;
  }

  #keyFor(models: ModelSet): string {
    return JSON.stringify({ args: buildServerArgs(this.#o.flags(), models, 0), preferred: this.#builds.preferred?.dir });
  }

  async #install(signal?: AbortSignal): Promise<InstalledBuild[]> {
    let ordered: InstalledBuild[];
    try {
      ordered = await this.#builds.list(signal);
    } catch (err) {
      throw this.#installFailure(err);
    }
    if (!ordered.length) {
      const hint = "Import a build (Engine tab → Import).";
      const info: EngineErrorInfo = { code: "no_candidate", message: "No engine build fits this machine.", hint };
      this.#board.set({ state: "failed", error: info });
      throw new EngineFailure(info);
    }
    const [best] = ordered;
    const state = this.#status.state;
    if (state === "absent" || state === "downloading" || state === "failed") {
      this.#board.set({ state: "installed", variant: best!.variant, version: best!.tag });
    }
    return ordered;
  }

  #installFailure(err: unknown): EngineFailure {
    const message = `The engine could not be installed: ${(err as Error).message}`;
    return this.#fail((err as { info?: EngineErrorInfo }).info ?? { code: "download_failed", message });
  }

  /** Shows the error; a running engine stays as it is (the failure is about what was asked next). */
  #fail(info: EngineErrorInfo): EngineFailure {
    this.#board.set({ ...this.#status, state: this.supervisor.running ? this.#status.state : "failed", error: info });
    return new EngineFailure(info);
  }

  async #start(models: ModelSet) {
    const missing = modelFiles(models).find((f) => !existsSync(f));
    const hint = "Check the model folder, or pick another model.";
    if (missing) throw this.#fail({ code: "model_not_found", message: `The model file ${missing} does not exist.`, hint });
    const builds = await this.#install();
    this.#models = models;
    this.#key = this.#keyFor(models);
    // Read at each launch: a restart after a crash starts without what went away (an RPC worker, engine/extension.ts).
    const argsFor = (port: number) => {
      this.#key = this.#keyFor(models);
      return buildServerArgs(this.#o.flags(), models, port);
    };
    try {
      const running = await startFirstThatRuns(this.supervisor, builds, argsFor, (after) => this.#builds.next(after));
      this.#o.provider.markGood(running.build);
    } catch (err) {
      this.#key = undefined;
      throw this.#failure(err);
    }
  }

  #failure(err: unknown): EngineFailure {
    return new EngineFailure(err instanceof EngineStartError ? err.info : { code: "crashed", message: (err as Error).message });
  }

  #onSupervisor(e: SupervisorEvent) {
    if (e.type === "exited") {
      this.#jobs.lost(e.epoch, e.error ?? { code: "crashed", message: e.expected ? "the engine was restarted" : "the engine exited" });
    }
    if (e.type === "progress") this.#board.progress(e.progress);
    else if (e.type === "log") {
      this.#jobs.noteLine(e.line, e.stream);
      this.#board.log(e.line, e.stream);
    }
    const next = statusAfter(this.#status, e);
    if (next) this.#board.set(next);
    if (e.type === "ready") this.#jobs.updateBusy();
  }
}
