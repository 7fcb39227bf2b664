/**
 * The engine manager: the Engine the queue uses, on top of a BuildProvider
 * (installed builds, downloading the best one on first run) and the process
 * supervisor. It owns the state machine
 *   absent → downloading → installed → starting → ready ⇄ busy → restarting → failed | stopped
 * publishes it (and progress and log lines) on the bus, and talks to
 * sd-server's native async API. A running job cannot be stopped over HTTP,
 * so cancelling one restarts the process with the same model set.
 */
import { existsSync } from "node:fs";
import type { EventBus } from "../core/events/bus";
import { buildServerArgs, modelFiles, type EngineFlags } from "./process/args";
import type { EnginePlan } from "./install/provider";
import { BuildSource, type EngineProvider } from "./process/builds";
import { cancelQueuedJob, readJob, submitJob } from "./process/client";
import { FALLBACK_CODES } from "./process/errors";
import { JobBook } from "./process/jobs";
import { Listeners } from "./process/listeners";
import { statusAfter } from "./process/state";
import { EngineStartError, Supervisor, type SupervisorEvent, type SupervisorOptions } from "./process/supervisor";
export type { EngineProvider } from "./process/builds";
import type {
  Engine,
  EngineErrorInfo,
  EngineEvent,
  EngineJob,
  EngineProgress,
  EngineStatus,
  ImgGenBody,
  InstalledBuild,
  ModelSet,
} from "./types";
import { cliOf } from "./cli-path";
import { LogBatcher } from "./log-batch";
import type { SourceBuilder } from "./build/builder";
import type { BuildBackend } from "./build/cmake-flags";
import type { AutoBuildDecision } from "./build/auto-build";
import { autoSourceBuild, startSourceBuild, type BuildHost, type StartedBuild } from "./build/engine-builds";

declare module "../core/events/bus" {
  interface EventMap {
    "engine.state": EngineStatus;
    "engine.progress": EngineProgress;
    /** sd-server's output lines (stdout and stderr), batched (log-batch.ts). */
    "engine.log": { lines: string[] };
  }
}

/** A failure with the EngineErrorInfo to show. */
export class EngineFailure extends Error {
  override name = "EngineFailure";
  constructor(readonly info: EngineErrorInfo) {
    super(info.hint ? `${info.message} → ${info.hint}` : info.message);
  }
}

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
  #status: EngineStatus = { state: "absent" };
  #listeners = new Listeners<EngineEvent>();
  #builds: BuildSource;
  #models?: ModelSet;
  /** The argv/build key of the running (or starting) process. */
  #key?: string;
  #op: Promise<unknown> = Promise.resolve();
  #jobs = new JobBook();
  #logBatch = new LogBatcher((lines) => this.#o.bus?.publish("engine.log", { lines }));

  constructor(options: EngineManagerOptions) {
    this.#o = options;
    this.supervisor = new Supervisor(options.supervisor);
    this.supervisor.on((e) => this.#onSupervisor(e));
    this.#builds = new BuildSource(options.provider, options.bus);
    options.bus?.on("download", (p) => {
      if (p.kind === "engine" && this.#status.state === "absent") this.#set({ state: "downloading" });
    });
  }

  status(): EngineStatus {
    return { ...this.#status };
  }

  on(listener: (event: EngineEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

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
      if (key === this.#key && this.#status.state === "restarting") await this.#settled();
      if (key === this.#key && this.supervisor.running) return;
      await this.#start(models);
    });
  }

  /** Resolves once the engine is up, or has failed or stopped. */
  #settled(): Promise<void> {
    const done = () => ["ready", "busy", "failed", "stopped"].includes(this.#status.state);
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.on((e) => {
        if (e.type === "state" && done()) {
          off();
          resolve();
        }
      });
    });
  }

  /** Restarts the process with the same model set and flags (Engine tab, cancel of a running job). */
  restart(): Promise<void> {
    return this.#serial(async () => {
      if (!this.#models) throw new EngineFailure({ code: "no_candidate", message: "The engine has not been started yet: it starts with the first task." });
      if (!this.supervisor.running && this.#status.state !== "ready" && this.#status.state !== "busy") return this.#start(this.#models);
      this.#set({ ...this.#status, state: "restarting", error: undefined });
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
      this.#logBatch.flush();
      if (this.#status.state !== "absent") this.#set({ state: "stopped", variant: this.#status.variant, version: this.#status.version });
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
  startBuild(backend?: BuildBackend): Promise<StartedBuild> {
    return startSourceBuild(this.#buildHost(), backend);
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
      setStatus: (s) => this.#set(s),
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
    if (this.#models && this.supervisor.running) await this.#serial(() => this.#start(this.#models!));
    else if (this.#status.state === "absent" || this.#status.state === "failed") this.#set({ state: "installed", variant: build.variant, version: build.tag });
  }

  async submit(body: ImgGenBody): Promise<string> {
    const running = this.supervisor.running;
    if (!running) throw new EngineFailure(this.#status.error ?? { code: "crashed", message: `The engine is not running (${this.#status.state}).` });
    const id = await submitJob(running.port, body);
    this.#jobs.add(id, running.epoch);
    this.#updateBusy();
    return id;
  }

  async poll(jobId: string): Promise<EngineJob> {
    const record = this.#jobs.get(jobId);
    const running = this.supervisor.running;
    if (record && (!running || running.epoch !== record.epoch)) return this.#gone(jobId);
    if (!running) throw new EngineFailure({ code: "crashed", message: `The engine is not running (${this.#status.state}).` });
    let job: EngineJob;
    try {
      job = await readJob(running.port, jobId);
    } catch (err) {
      // A refused connection often comes a moment before the exit is seen: give the exit a moment.
      if (record && (await this.#processGone(record.epoch))) return this.#gone(jobId);
      throw err;
    }
    await this.#jobs.explain(job);
    this.#updateBusy();
    return job;
  }

  async cancel(jobId: string): Promise<void> {
    const running = this.supervisor.running;
    if (!this.#jobs.markCancelled(jobId)) return;
    if (!running || running.epoch !== this.#jobs.get(jobId)!.epoch) return;
    if (await cancelQueuedJob(running.port, jobId)) this.#finish(jobId);
    else await this.restart();
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
      const info: EngineErrorInfo = { code: "no_candidate", message: "No engine build fits this machine.", hint: "Import a build (Engine tab → Import)." };
      this.#set({ state: "failed", error: info });
      throw new EngineFailure(info);
    }
    const state = this.#status.state;
    if (state === "absent" || state === "downloading" || state === "failed") this.#set({ state: "installed", variant: ordered[0]!.variant, version: ordered[0]!.tag });
    return ordered;
  }

  #installFailure(err: unknown): EngineFailure {
    const info = (err as { info?: EngineErrorInfo }).info ?? { code: "download_failed" as const, message: `The engine could not be installed: ${(err as Error).message}` };
    this.#set({ ...this.#status, state: this.supervisor.running ? this.#status.state : "failed", error: info });
    return new EngineFailure(info);
  }

  async #start(models: ModelSet) {
    const missing = modelFiles(models).find((f) => !existsSync(f));
    if (missing) {
      const info: EngineErrorInfo = { code: "model_not_found", message: `The model file ${missing} does not exist.`, hint: "Check the model folder, or pick another model." };
      this.#set({ ...this.#status, state: this.supervisor.running ? this.#status.state : "failed", error: info });
      throw new EngineFailure(info);
    }
    let builds = await this.#install();
    this.#models = models;
    this.#key = this.#keyFor(models);
    const flags = this.#o.flags();
    for (;;) {
      try {
        const running = await this.supervisor.start(builds, (port) => buildServerArgs(flags, models, port));
        this.#o.provider.markGood(running.build);
        return;
      } catch (err) {
        // No installed build can run here: have the provider install the next candidate, if any.
        const next = err instanceof EngineStartError && FALLBACK_CODES.has(err.info.code) ? await this.#builds.next(builds.at(-1)!) : undefined;
        if (next) {
          builds = [next];
          continue;
        }
        this.#key = undefined;
        throw this.#failure(err);
      }
    }
  }

  #failure(err: unknown): EngineFailure {
    if (err instanceof EngineStartError) return new EngineFailure(err.info);
    return new EngineFailure({ code: "crashed", message: (err as Error).message });
  }

  async #processGone(epoch: number, waitMs = 2_000): Promise<boolean> {
    const until = Date.now() + waitMs;
    while (this.supervisor.running?.epoch === epoch && Date.now() < until) await Bun.sleep(20);
    return this.supervisor.running?.epoch !== epoch;
  }

  async #gone(jobId: string): Promise<EngineJob> {
    const job = await this.#jobs.gone(jobId);
    this.#updateBusy();
    return job;
  }

  #finish(jobId: string) {
    this.#jobs.finish(jobId);
    this.#updateBusy();
  }

  #updateBusy() {
    const running = this.supervisor.running;
    if (!running) return;
    const busy = this.#jobs.busy(running.epoch);
    const state = this.#status.state;
    if (busy && state === "ready") this.#set({ ...this.#status, state: "busy" });
    else if (!busy && state === "busy") this.#set({ ...this.#status, state: "ready" });
  }

  #set(status: EngineStatus) {
    this.#logBatch.flush(); // the lines that led here go out first
    const clean = Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined)) as unknown as EngineStatus;
    this.#status = clean;
    this.#o.bus?.publish("engine.state", clean);
    this.#emit({ type: "state", status: { ...clean } });
  }

  #emit(event: EngineEvent) {
    this.#listeners.emit(event);
  }

  #onSupervisor(e: SupervisorEvent) {
    if (e.type === "exited") this.#jobs.lost(e.epoch, e.error ?? { code: "crashed", message: e.expected ? "the engine was restarted" : "the engine exited" });
    if (e.type === "progress") {
      this.#o.bus?.publish("engine.progress", e.progress);
      this.#emit({ type: "progress", progress: e.progress });
    } else if (e.type === "log") {
      this.#jobs.noteLine(e.line, e.stream);
      this.#logBatch.add(e.line);
      this.#emit({ type: "log", line: e.line, stream: e.stream });
    }
    const next = statusAfter(this.#status, e);
    if (next) this.#set(next);
    if (e.type === "ready") this.#updateBusy();
  }
}
