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
import type { EventBus } from "../launcher/events/bus";
import { buildServerArgs, modelFiles, type EngineFlags } from "./process/args";
import type { EngineBuildProvider, EnginePlan } from "./install/provider";
import { classifyLine, FALLBACK_CODES } from "./process/errors";
import { Listeners } from "./process/listeners";
import { EngineStartError, Supervisor, type SupervisorEvent, type SupervisorOptions } from "./process/supervisor";
import type {
  BuildProvider,
  Engine,
  EngineErrorInfo,
  EngineEvent,
  EngineJob,
  EngineProgress,
  EngineState,
  EngineStatus,
  ImgGenBody,
  InstalledBuild,
  ModelSet,
} from "./types";

declare module "../launcher/events/bus" {
  interface EventMap {
    "engine.state": EngineStatus;
    "engine.progress": EngineProgress;
    "engine.log": { line: string; stream: "stdout" | "stderr" };
  }
}

/** A failure with the EngineErrorInfo to show. */
export class EngineFailure extends Error {
  override name = "EngineFailure";
  constructor(readonly info: EngineErrorInfo) {
    super(info.hint ? `${info.message} → ${info.hint}` : info.message);
  }
}

/** A BuildProvider, plus what the real one offers the Engine tab: plan, installed list, install of a variant, next fallback. */
export type EngineProvider = BuildProvider & Partial<Pick<EngineBuildProvider, "plan" | "installed" | "install" | "next">>;

export interface EngineManagerOptions {
  provider: EngineProvider;
  /** The engine settings, read at every ensure() so a change applies on the next task. */
  flags: () => EngineFlags;
  bus?: EventBus;
  supervisor?: SupervisorOptions;
  /** Installs a local build (folder or zip); used by `POST /api/engine/import`. */
  importer?: (path: string) => Promise<InstalledBuild>;
}

interface JobRecord {
  epoch: number;
  cancelled: boolean;
  done: boolean;
}

const TERMINAL = new Set(["completed", "failed", "cancelled"]);

export class EngineManager implements Engine {
  readonly supervisor: Supervisor;
  #o: EngineManagerOptions;
  #status: EngineStatus = { state: "absent" };
  #listeners = new Listeners<EngineEvent>();
  #builds?: InstalledBuild[];
  #preferred?: InstalledBuild;
  #models?: ModelSet;
  /** The argv/build key of the running (or starting) process. */
  #key?: string;
  #op: Promise<unknown> = Promise.resolve();
  #jobs = new Map<string, JobRecord>();
  /** Why each dead process went away, for its jobs. */
  #lost = new Map<number, EngineErrorInfo>();
  /** A known error line (e.g. out of memory) seen since the last job was submitted. */
  #jobError?: EngineErrorInfo;

  constructor(options: EngineManagerOptions) {
    this.#o = options;
    this.supervisor = new Supervisor(options.supervisor);
    this.supervisor.on((e) => this.#onSupervisor(e));
    options.bus?.on("engine.download", () => {
      if (this.#status.state === "absent") this.#set({ state: "downloading" });
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
      const provider = this.#o.provider;
      if ((opts.variant || opts.force) && provider.install) {
        try {
          await provider.install({ variant: opts.variant, force: opts.force, signal: opts.signal });
        } catch (err) {
          throw this.#installFailure(err);
        }
        this.#builds = undefined;
        if (this.#models && this.supervisor.running) {
          await this.#start(this.#models);
          return this.#builds ?? [];
        }
      }
      return this.#install(opts.signal);
    });
  }

  /** What was detected and chosen, and why (when the provider can say). */
  async plan(signal?: AbortSignal): Promise<EnginePlan> {
    if (!this.#o.provider.plan) throw new EngineFailure({ code: "NoCandidate", message: "This engine provider cannot describe its choice." });
    return this.#o.provider.plan(signal);
  }

  /** Installed builds on disk (no network). */
  installed(): InstalledBuild[] {
    return this.#o.provider.installed?.() ?? this.#builds ?? [];
  }

  async ensure(models: ModelSet): Promise<void> {
    const key = this.#keyFor(models);
    if (key === this.#key && this.supervisor.running) return;
    await this.#serial(async () => {
      if (key === this.#key && this.supervisor.running) return;
      await this.#start(models);
    });
  }

  /** Restarts the process with the same model set and flags (Engine tab, cancel of a running job). */
  restart(): Promise<void> {
    return this.#serial(async () => {
      if (!this.#models) throw new EngineFailure({ code: "NoCandidate", message: "The engine has not been started yet: it starts with the first task." });
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
      if (this.#status.state !== "absent") this.#set({ state: "stopped", variant: this.#status.variant, version: this.#status.version });
    });
  }

  /** Installs a local build and makes it the one to run; restarts a running engine on it. */
  async importBuild(path: string): Promise<InstalledBuild> {
    if (!this.#o.importer) throw new EngineFailure({ code: "NoCandidate", message: "Importing engine builds is not available in this build." });
    const build = await this.#o.importer(path);
    this.#preferred = build;
    this.#builds = undefined;
    if (this.#models && this.supervisor.running) await this.#serial(() => this.#start(this.#models!));
    else if (this.#status.state === "absent" || this.#status.state === "failed") this.#set({ state: "installed", variant: build.variant, version: build.tag });
    return build;
  }

  async submit(body: ImgGenBody): Promise<string> {
    const running = this.supervisor.running;
    if (!running) throw new EngineFailure(this.#status.error ?? { code: "Crashed", message: `The engine is not running (${this.#status.state}).` });
    const res = await fetch(`http://127.0.0.1:${running.port}/sdcpp/v1/img_gen`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = (await res.json().catch(() => ({}))) as { id?: string; error?: string; message?: string };
    if (res.status !== 202 || !answer.id) {
      const why = answer.error ? `${answer.error}${answer.message ? `: ${answer.message}` : ""}` : `HTTP ${res.status}`;
      throw new Error(res.status === 429 ? "the engine's job queue is full" : `the engine refused the request (${why})`);
    }
    this.#jobs.set(answer.id, { epoch: running.epoch, cancelled: false, done: false });
    this.#jobError = undefined;
    this.#updateBusy();
    return answer.id;
  }

  async poll(jobId: string): Promise<EngineJob> {
    const record = this.#jobs.get(jobId);
    const running = this.supervisor.running;
    if (record && (!running || running.epoch !== record.epoch)) return this.#gone(jobId, record);
    if (!running) throw new EngineFailure({ code: "Crashed", message: `The engine is not running (${this.#status.state}).` });
    let res: Response;
    try {
      res = await fetch(`http://127.0.0.1:${running.port}/sdcpp/v1/jobs/${encodeURIComponent(jobId)}`);
    } catch (err) {
      if (record && this.supervisor.running?.epoch !== record.epoch) return this.#gone(jobId, record);
      throw err;
    }
    if (res.status === 404 || res.status === 410) {
      this.#finish(jobId);
      return { id: jobId, status: "failed", error: { code: res.status === 404 ? "not_found" : "expired", message: res.status === 404 ? "the engine does not know this job" : "the job's result expired" } };
    }
    const job = (await res.json()) as {
      status: EngineJob["status"];
      result?: { output_format: string; images: { index: number; b64_json: string }[] } | null;
      error?: { code: string; message: string } | null;
    };
    if (TERMINAL.has(job.status)) this.#finish(jobId);
    // sd-server says only "generate_image returned no results"; its output says why.
    const known = job.status === "failed" ? this.#jobError : undefined;
    if (known) job.error = { code: known.code, message: known.hint ? `${known.message} ${known.hint}` : known.message };
    return {
      id: jobId,
      status: job.status,
      outputFormat: job.result?.output_format,
      images: job.result?.images.map((i) => ({ index: i.index, data: new Uint8Array(Buffer.from(i.b64_json, "base64")) })),
      error: job.error ?? undefined,
    };
  }

  async cancel(jobId: string): Promise<void> {
    const record = this.#jobs.get(jobId);
    const running = this.supervisor.running;
    if (!record || record.done) return;
    record.cancelled = true;
    if (!running || running.epoch !== record.epoch) return;
    const res = await fetch(`http://127.0.0.1:${running.port}/sdcpp/v1/jobs/${encodeURIComponent(jobId)}/cancel`, { method: "POST" });
    await res.body?.cancel();
    // 409: it is generating, and only ending the process stops it.
    if (res.status === 409) await this.restart();
    else this.#finish(jobId);
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#op.then(fn, fn);
    this.#op = next.catch(() => {});
    return next;
  }

  #keyFor(models: ModelSet): string {
    return JSON.stringify({ args: buildServerArgs(this.#o.flags(), models, 0), preferred: this.#preferred?.dir });
  }

  async #install(signal?: AbortSignal): Promise<InstalledBuild[]> {
    if (this.#builds?.length) return this.#ordered(this.#builds);
    let builds: InstalledBuild[];
    try {
      builds = await this.#o.provider.builds(signal);
    } catch (err) {
      throw this.#installFailure(err);
    }
    this.#builds = builds;
    const ordered = this.#ordered(builds);
    if (!ordered.length) {
      const info: EngineErrorInfo = { code: "NoCandidate", message: "No engine build fits this machine.", hint: "Import a build (Engine tab → Import)." };
      this.#set({ state: "failed", error: info });
      throw new EngineFailure(info);
    }
    const state = this.#status.state;
    if (state === "absent" || state === "downloading" || state === "failed") this.#set({ state: "installed", variant: ordered[0]!.variant, version: ordered[0]!.tag });
    return ordered;
  }

  #installFailure(err: unknown): EngineFailure {
    const info = (err as { info?: EngineErrorInfo }).info ?? { code: "DownloadFailed" as const, message: `The engine could not be installed: ${(err as Error).message}` };
    this.#set({ ...this.#status, state: this.supervisor.running ? this.#status.state : "failed", error: info });
    return new EngineFailure(info);
  }

  #ordered(builds: InstalledBuild[]): InstalledBuild[] {
    const p = this.#preferred;
    return p ? [p, ...builds.filter((b) => b.dir !== p.dir)] : [...builds];
  }

  async #start(models: ModelSet) {
    const missing = modelFiles(models).find((f) => !existsSync(f));
    if (missing) {
      const info: EngineErrorInfo = { code: "ModelNotFound", message: `The model file ${missing} does not exist.`, hint: "Check the model folder, or pick another model." };
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
        const next = err instanceof EngineStartError && FALLBACK_CODES.has(err.info.code) ? await this.#nextBuild(builds.at(-1)!) : undefined;
        if (next) {
          builds = [next];
          continue;
        }
        this.#key = undefined;
        throw this.#failure(err);
      }
    }
  }

  async #nextBuild(failed: InstalledBuild): Promise<InstalledBuild | undefined> {
    try {
      const next = await this.#o.provider.next?.(failed);
      this.#builds = undefined;
      return next;
    } catch {
      return undefined;
    }
  }

  #failure(err: unknown): EngineFailure {
    if (err instanceof EngineStartError) return new EngineFailure(err.info);
    return new EngineFailure({ code: "Crashed", message: (err as Error).message });
  }

  #gone(jobId: string, record: JobRecord): EngineJob {
    this.#finish(jobId);
    if (record.cancelled) return { id: jobId, status: "cancelled", error: { code: "cancelled", message: "the job was stopped" } };
    const why = this.#lost.get(record.epoch);
    return { id: jobId, status: "failed", error: { code: "engine_restarted", message: why?.message ?? "the engine restarted while the job was pending" } };
  }

  #finish(jobId: string) {
    const record = this.#jobs.get(jobId);
    if (record) record.done = true;
    // Keep a bounded memory of finished jobs.
    if (this.#jobs.size > 500) for (const [id, r] of this.#jobs) if (r.done && this.#jobs.size > 250) this.#jobs.delete(id);
    this.#updateBusy();
  }

  #updateBusy() {
    const running = this.supervisor.running;
    if (!running) return;
    const busy = [...this.#jobs.values()].some((r) => !r.done && r.epoch === running.epoch);
    const state = this.#status.state;
    if (busy && state === "ready") this.#set({ ...this.#status, state: "busy" });
    else if (!busy && state === "busy") this.#set({ ...this.#status, state: "ready" });
  }

  #set(status: EngineStatus) {
    const clean = Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined)) as unknown as EngineStatus;
    this.#status = clean;
    this.#o.bus?.publish("engine.state", clean);
    this.#emit({ type: "state", status: { ...clean } });
  }

  #emit(event: EngineEvent) {
    this.#listeners.emit(event);
  }

  #onSupervisor(e: SupervisorEvent) {
    const at = (state: EngineState, extra: Partial<EngineStatus> = {}) => this.#set({ state, variant: this.#status.variant, version: this.#status.version, ...extra });
    switch (e.type) {
      case "starting":
        if (this.#status.state !== "restarting") at("starting", { variant: e.build.variant, version: e.build.tag });
        else at("restarting", { variant: e.build.variant, version: e.build.tag, error: this.#status.error });
        return;
      case "ready":
        at("ready", { variant: e.engine.build.variant, version: e.engine.build.tag, port: e.engine.port });
        this.#updateBusy();
        return;
      case "exited":
        this.#lost.set(e.epoch, e.error ?? { code: "Crashed", message: e.expected ? "the engine was restarted" : "the engine exited" });
        if (this.#lost.size > 50) this.#lost.delete(this.#lost.keys().next().value!);
        if (!e.expected) at("restarting", { error: e.error });
        return;
      case "restarting":
        at("restarting", { error: e.error });
        return;
      case "fallback":
        at("starting", { variant: e.to.variant, version: e.to.tag, error: e.error });
        return;
      case "failed":
        at("failed", { error: e.error });
        return;
      case "stopped":
        return;
      case "progress":
        this.#o.bus?.publish("engine.progress", e.progress);
        this.#emit({ type: "progress", progress: e.progress });
        return;
      case "log":
        if (e.stream === "stderr" || e.line.startsWith("[ERROR]")) this.#jobError = classifyLine(e.line) ?? this.#jobError;
        this.#o.bus?.publish("engine.log", { line: e.line, stream: e.stream });
        this.#emit({ type: "log", line: e.line, stream: e.stream });
        return;
    }
  }
}
