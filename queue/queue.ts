/**
 * The task queue: durable tasks in SQLite (incognito ones in memory), one
 * runner at a time on the engine, pause/resume, reorder, cancel, retry, and
 * live progress on the bus. A task is stored before submit() returns; after
 * a restart, queued tasks continue and a task that was running is failed
 * with reason "interrupted".
 */
import type { Engine } from "../engine/types";
import type { EventBus } from "../core/events/bus";
import type { Logger } from "../core/log";
import type { Paths } from "../core/paths";
import "./events";
import { IncognitoMemory } from "./incognito";
import { ModelHashes } from "../models/hashes";
import { locateModel, ModelNotFoundError, resolveModels } from "../models/resolve";
import { UPSCALE_KEY } from "../upscale/queue-step";
import { runQueuedTask } from "./execute";
import { searchPath, type SearchPath } from "../models/roots";
import { recoverIncoming, type OutputTemplates } from "./outputs";
import { pickNext } from "./pick";
import { assertRequestPictures } from "../pictures/limits";
import type { ResolvedRequest } from "../common/image-request";
import type { Speed } from "../common/speed";
import type { MemoryMemo } from "./memory-memo";
import type { ActiveRun, RunOutcome } from "./runner";
import { INTERRUPTED, TaskStore } from "./store";
import { isFinal, newId, type ImageRecord, type Task, type TaskError } from "./task";
import { modelSetKey, toModelSet } from "./translate";

export interface QueueOptions {
  store: TaskStore;
  engine: Engine;
  bus: EventBus;
  paths: Paths;
  templates: () => OutputTemplates;
  /** The model search path, read at each use (config models.extra_folders may change); default: the app's folder only. */
  models?: () => SearchPath;
  log?: Logger;
  pollMinMs?: number;
  pollMaxMs?: number;
  /** Tasks that may wait at once (default MAX_WAITING). */
  maxWaiting?: number;
  /** The Speed of a request that names none (config engine.speed; default quality). */
  speed?: () => Speed;
  /** GPU memory use remembered per model set (memory-memo.ts). */
  memory?: MemoryMemo;
}

export class TaskConflictError extends Error {
  override name = "TaskConflictError";
}

/** How many tasks may wait at once: beyond it, submitting says how many wait (a script in a loop, not a person). */
export const MAX_WAITING = 1000;

export class QueueFullError extends Error {
  override name = "QueueFullError";
  constructor(readonly waiting: number) {
    super(`${waiting} tasks are waiting already; wait for some to finish, or cancel some`);
  }
}

export class TaskNotFoundError extends Error {
  override name = "TaskNotFoundError";
  constructor(readonly id: string) {
    super(`no task ${id}`);
  }
}


export class TaskQueue {
  readonly store: TaskStore;
  readonly incognito = new IncognitoMemory();
  readonly hashes: ModelHashes;
  #pending: Task[] = [];
  #modelKeys = new Map<string, string>();
  #skips = new Map<string, number>();
  #currentKey: string | null = null;
  #active: (ActiveRun & { done: Promise<void>; abort: AbortController }) | null = null;
  #paused: boolean;
  #stopped = false;
  #wakeLoop: () => void = () => {};
  #loop: Promise<void> | null = null;

  constructor(readonly opts: QueueOptions) {
    this.store = opts.store;
    this.hashes = new ModelHashes(this.store);
    this.#paused = this.store.setting("paused") === "true";
  }

  /** Recovers from the last run and starts working through the queue. */
  start(): void {
    // Images a crash left between their write and their rename (one folder, cheap to list).
    const recovered = recoverIncoming(this.opts.paths.outputs, (id) => this.store.imagePath(id));
    if (recovered.finished || recovered.removed) this.opts.log?.info("outputs: recovered after a crash", recovered);
    const interrupted = this.store.failInterrupted();
    for (const id of interrupted) this.opts.bus.publish("task.failed", { id, error: INTERRUPTED });
    this.#pending = this.store.queued();
    for (const t of this.#pending) this.#modelKeys.set(t.id, this.#keyOf(t.request) ?? `missing:${t.id}`);
    this.#publishStatus();
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeLoop();
    const active = this.#active;
    if (active && !active.task.incognito) {
      // The engine goes down with the app: the task cannot finish, say so now rather than at the next start.
      active.task.state = "failed";
      active.task.error = INTERRUPTED;
      active.task.finished = Date.now();
      this.store.update(active.task);
    }
    await Promise.race([this.#loop, Bun.sleep(2000)]);
  }

  #search(): SearchPath {
    return this.opts.models?.() ?? searchPath(this.opts.paths);
  }

  #keyOf(r: ResolvedRequest): string | null {
    if (r.upscale_of) return UPSCALE_KEY;
    try {
      return modelSetKey(toModelSet(resolveModels(this.#search(), r, { embeddingsView: this.opts.paths.engineEmbeddings }), r));
    } catch {
      return null;
    }
  }

  /** Queues a validated request. Throws ModelNotFoundError when a model is missing. */
  submit(request: ResolvedRequest, options: { incognito?: boolean; retryOf?: string } = {}): Task {
    if (!request.speed && !request.upscale_of) request = { ...request, speed: this.opts.speed?.() ?? "quality" };
    const waiting = this.#pending.filter((t) => t.state === "queued").length;
    if (waiting >= (this.opts.maxWaiting ?? MAX_WAITING)) throw new QueueFullError(waiting);
    assertRequestPictures(request);
    if (request.upscale && !locateModel(this.#search(), "realesrgan", request.upscale.model)) throw new ModelNotFoundError("upscale.model", "realesrgan", request.upscale.model);
    // An upscale task needs no model set (sd-cli runs beside the engine): it never makes the engine restart.
    const key = request.upscale_of ? UPSCALE_KEY : modelSetKey(toModelSet(resolveModels(this.#search(), request, { embeddingsView: this.opts.paths.engineEmbeddings }), request));
    const last = this.#pending.at(-1)?.position ?? 0;
    const task: Task = {
      id: newId("t"),
      state: "queued",
      position: Math.max(last, options.incognito ? 0 : this.store.maxPosition()) + 1,
      request,
      created: Date.now(),
      incognito: !!options.incognito,
      ...(options.retryOf ? { retryOf: options.retryOf } : {}),
    };
    if (task.incognito) this.incognito.putTask(task);
    else this.store.insert(task);
    this.#pending.push(task);
    this.#modelKeys.set(task.id, key);
    this.opts.bus.publish("task.queued", { id: task.id, position: this.#pending.length, incognito: task.incognito });
    this.#publishStatus();
    this.#wakeLoop();
    return task;
  }

  get(id: string): Task | null {
    if (this.#active?.task.id === id) return this.#active.task;
    return this.#pending.find((t) => t.id === id) ?? this.incognito.task(id) ?? this.store.get(id);
  }

  /** Live progress of the running task, or null. */
  progressOf(id: string): ActiveRun["progress"] | null {
    return this.#active?.task.id === id ? this.#active.progress : null;
  }

  images(task: Task): ImageRecord[] {
    return task.incognito ? this.incognito.imagesOf(task.id) : this.store.imagesOf(task.id);
  }

  /** Running and queued tasks first (in queue order), then history, newest first. */
  list(limit = 100): Task[] {
    const live = [...(this.#active ? [this.#active.task] : []), ...this.#pending];
    const liveIds = new Set(live.map((t) => t.id));
    const history = [...this.incognito.tasks().filter((t) => isFinal(t.state) && !t.removed), ...this.store.list(limit).filter((t) => !liveIds.has(t.id))]
      .sort((a, b) => b.created - a.created)
      .slice(0, limit);
    return [...live, ...history];
  }

  status() {
    return { running: this.#active ? 1 : 0, total: this.#pending.length + (this.#active ? 1 : 0), paused: this.#paused };
  }

  get paused(): boolean {
    return this.#paused;
  }

  setPaused(paused: boolean): void {
    this.#paused = paused;
    this.store.setSetting("paused", String(paused));
    this.#publishStatus();
    this.#wakeLoop();
  }

  /** Puts these queued tasks first, in this order; ids that are not queued (any more) are ignored. */
  reorder(ids: string[]): void {
    const byId = new Map(this.#pending.map((t) => [t.id, t]));
    const first = ids.map((id) => byId.get(id)).filter((t): t is Task => !!t);
    const chosen = new Set(first);
    this.#pending = [...new Set([...first, ...this.#pending.filter((t) => !chosen.has(t))])];
    this.#pending.forEach((t, i) => (t.position = i + 1));
    this.store.setPositions(this.#pending.filter((t) => !t.incognito).map((t) => ({ id: t.id, position: t.position })));
    this.#skips.clear();
  }

  /**
   * Stops a task. A queued one is just removed; a running one needs the
   * engine process restarted (sd-server cannot interrupt a job), which the
   * result reports as `engineRestarted`.
   */
  async cancel(id: string): Promise<{ task: Task; engineRestarted: boolean }> {
    const queued = this.#pending.find((t) => t.id === id);
    if (queued) {
      this.#pending = this.#pending.filter((t) => t !== queued);
      this.#finish(queued, { state: "cancelled" }, false);
      return { task: queued, engineRestarted: false };
    }
    const active = this.#active;
    if (active?.task.id === id) {
      if (!active.cancelRequested) {
        active.cancelRequested = true;
        active.abort.abort(); // kills a running sd-cli (upscale)
        active.engineRestarted = !!active.jobId;
        if (active.jobId) await this.opts.engine.cancel(active.jobId).catch((err) => this.opts.log?.warn(`cancel ${id}: ${err}`));
        active.wake();
      }
      await Promise.race([active.done, Bun.sleep(30_000)]);
      return { task: active.task, engineRestarted: active.engineRestarted };
    }
    const task = this.get(id);
    if (!task) throw new TaskNotFoundError(id);
    throw new TaskConflictError(`task ${id} already ${task.state}`);
  }

  /** Puts a task whose removal was undone back in the queue, at its old place. */
  requeue(task: Task): void {
    task.state = "queued";
    delete task.finished;
    this.#pending.push(task);
    this.#pending.sort((a, b) => a.position - b.position || a.created - b.created);
    this.#modelKeys.set(task.id, this.#keyOf(task.request) ?? `missing:${task.id}`);
    this.opts.bus.publish("task.queued", { id: task.id, position: this.#pending.indexOf(task) + 1, incognito: task.incognito });
    this.#publishStatus();
    this.#wakeLoop();
  }

  /** A new task with the same request (and seed). */
  retry(id: string): Task {
    const task = this.get(id);
    if (!task) throw new TaskNotFoundError(id);
    if (!isFinal(task.state)) throw new TaskConflictError(`task ${id} is still ${task.state}`);
    return this.submit(task.request, { incognito: task.incognito, retryOf: task.id });
  }

  #publishStatus(): void {
    this.opts.bus.publish("queue.status", this.status());
  }

  #finish(task: Task, outcome: RunOutcome, engineRestarted: boolean): void {
    task.state = outcome.state;
    task.finished = Date.now();
    if (outcome.state === "failed") task.error = outcome.error;
    if (!task.incognito) this.store.update(task);
    if (outcome.state === "failed") this.opts.bus.publish("task.failed", { id: task.id, error: outcome.error });
    else this.opts.bus.publish("task.finished", { id: task.id, state: outcome.state, ...(engineRestarted ? { engineRestarted } : {}) });
    this.#modelKeys.delete(task.id);
    this.#skips.delete(task.id);
    this.#publishStatus();
  }

  #next(): Task | null {
    const pick = pickNext(
      this.#pending.map((t) => ({ id: t.id, modelKey: this.#modelKeys.get(t.id) ?? "" })),
      this.#currentKey,
      this.#skips,
    );
    if (!pick) return null;
    for (const id of pick.skipped) this.#skips.set(id, (this.#skips.get(id) ?? 0) + 1);
    const task = this.#pending.find((t) => t.id === pick.id)!;
    this.#pending = this.#pending.filter((t) => t !== task);
    return task;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const task = this.#paused ? null : this.#next();
      if (!task) {
        await new Promise<void>((resolve) => (this.#wakeLoop = resolve));
        continue;
      }
      try {
        await this.#execute(task);
      } catch (err) {
        // Bookkeeping failed (e.g. the database closed under us at shutdown): keep the loop alive.
        this.#active = null;
        this.opts.log?.error(`queue: task ${task.id}: ${(err as Error).message}`);
      }
    }
  }

  async #execute(task: Task): Promise<void> {
    let markDone = () => {};
    const done = new Promise<void>((r) => (markDone = r));
    const run: ActiveRun & { done: Promise<void>; abort: AbortController } = {
      task,
      cancelRequested: false,
      engineRestarted: false,
      progress: { phase: "loading" as const, step: 0, steps: task.request.steps, rate: null, eta: null },
      wake: () => {},
      done,
      abort: new AbortController(),
    };
    this.#active = run;
    task.state = "running";
    task.started = Date.now();
    if (!task.incognito) this.store.update(task);
    this.opts.bus.publish("task.started", { id: task.id });
    this.#publishStatus();
    let outcome: RunOutcome;
    try {
      outcome = await runQueuedTask(task, run, {
        engine: this.opts.engine,
        bus: this.opts.bus,
        models: this.#search(),
        paths: this.opts.paths,
        save: { store: this.store, incognito: this.incognito, hashes: this.hashes, outputs: this.opts.paths.outputs, templates: this.opts.templates() },
        pollMinMs: this.opts.pollMinMs,
        pollMaxMs: this.opts.pollMaxMs,
        onModelSet: (key) => (this.#currentKey = key),
        memory: this.opts.memory,
      });
    } catch (err) {
      const error: TaskError = { code: "internal", message: (err as Error)?.message ?? String(err) };
      this.opts.log?.error(`task ${task.id} failed`, { error: String(err) });
      outcome = { state: "failed", error };
    }
    this.#active = null;
    try {
      // After stop() the task is already recorded as interrupted and the database may be closing.
      if (!this.#stopped) this.#finish(task, outcome, run.engineRestarted);
    } finally {
      markDone();
    }
  }
}
