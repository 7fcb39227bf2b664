/**
 * The task queue: durable tasks in SQLite (incognito ones in memory), one
 * runner at a time, pause/resume, reorder, cancel, retry, and live progress
 * on the bus. What a task does is up to its kind (task-kinds.ts: the image
 * kind, and those the composition root hands over). A task is stored before
 * submit() returns; after a restart, queued tasks continue and a task that
 * was running is failed with reason "interrupted".
 */
import type { Engine } from "../engine/types";
import type { EventBus } from "../core/events/bus";
import type { Logger } from "../core/log";
import type { Paths } from "../core/paths";
import "./events";
import { IncognitoMemory } from "./incognito";
import type { ModelHashes } from "../models/hashes";
import { activeRun, runQueuedTask, type ActiveTask } from "./execute";
import { imageKind } from "./image-kind";
import { searchPath, type SearchPath } from "../models/roots";
import type { OutputTemplates } from "./outputs";
import { assertRequestPictures } from "../pictures/limits";
import type { ResolvedRequest } from "../common/image-request";
import type { Speed } from "../common/speed";
import type { MemoryMemo } from "./memory-memo";
import type { ActiveRun, RunOutcome } from "./runner";
import { recordInterrupted, recoverLastRun } from "./restart";
import type { TaskStore } from "./store";
import { isFinal, newId, type ImageRecord, type Task } from "./task";
import { TaskKinds, type PictureStep, type SubmitContext, type TaskKind } from "./task-kinds";
import { WaitingLine } from "./waiting";
import { QueueFullError, TaskConflictError, TaskNotFoundError } from "./errors";

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
  /** Model hashes for the pictures' infotext (models/ owns their cache). */
  hashes: ModelHashes;
  /** Task kinds besides the image kind (upscale/, …), tried in order. */
  kinds?: TaskKind[];
  /** Steps after each saved picture that requests may ask for (upscale/'s post-step, …). */
  pictureSteps?: PictureStep[];
}

/** How many tasks may wait at once: beyond it, submitting says how many wait (a script in a loop, not a person). */
export const MAX_WAITING = 1000;

export class TaskQueue {
  readonly store: TaskStore;
  readonly incognito = new IncognitoMemory();
  readonly hashes: ModelHashes;
  readonly kinds: TaskKinds;
  #line = new WaitingLine();
  #active: ActiveTask | null = null;
  #paused: boolean;
  #stopped = false;
  #wakeLoop: () => void = () => {};
  #loop: Promise<void> | null = null;

  constructor(readonly opts: QueueOptions) {
    this.store = opts.store;
    this.hashes = opts.hashes;
    this.kinds = new TaskKinds(imageKind(opts), opts.kinds, opts.pictureSteps);
    this.#paused = this.store.setting("paused") === "true";
  }

  /** Recovers from the last run and starts working through the queue. */
  start(): void {
    for (const t of recoverLastRun(this.store, this.opts.paths.outputs, this.opts.bus, this.opts.log)) this.#line.add(t, this.#keyOf(t));
    this.#publishStatus();
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeLoop();
    if (this.#active) recordInterrupted(this.store, this.#active.task);
    await Promise.race([this.#loop, Bun.sleep(2000)]);
  }

  #at(): SubmitContext {
    return { models: this.opts.models?.() ?? searchPath(this.opts.paths), paths: this.opts.paths };
  }

  /** The engine key of a task recovered or put back; one of its own when its models are gone now (it fails when it runs). */
  #keyOf(task: Task): string {
    try {
      return this.kinds.of(task.request).engineKey(task.request, this.#at());
    } catch {
      return `missing:${task.id}`;
    }
  }

  /** Queues a validated request. Throws what its kind refuses (ModelNotFoundError when a model is missing). */
  submit(submitted: ResolvedRequest, options: { incognito?: boolean; retryOf?: string } = {}): Task {
    const waiting = this.#line.waiting();
    if (waiting >= (this.opts.maxWaiting ?? MAX_WAITING)) throw new QueueFullError(waiting);
    assertRequestPictures(submitted);
    const { request, key } = this.kinds.admit(submitted, this.#at());
    const last = this.#line.lastPosition();
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
    const position = this.#line.add(task, key);
    this.opts.bus.publish("task.queued", { id: task.id, position, incognito: task.incognito });
    this.#publishStatus();
    this.#wakeLoop();
    return task;
  }

  get(id: string): Task | null {
    if (this.#active?.task.id === id) return this.#active.task;
    return this.#line.find(id) ?? this.incognito.task(id) ?? this.store.get(id);
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
    const live = [...(this.#active ? [this.#active.task] : []), ...this.#line.tasks];
    const liveIds = new Set(live.map((t) => t.id));
    const history = [...this.incognito.tasks().filter((t) => isFinal(t.state) && !t.removed), ...this.store.list(limit).filter((t) => !liveIds.has(t.id))]
      .sort((a, b) => b.created - a.created)
      .slice(0, limit);
    return [...live, ...history];
  }

  status() {
    return { running: this.#active ? 1 : 0, total: this.#line.tasks.length + (this.#active ? 1 : 0), paused: this.#paused };
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
    const order = this.#line.reorder(ids);
    this.store.setPositions(order.filter((t) => !t.incognito).map((t) => ({ id: t.id, position: t.position })));
  }

  /**
   * Stops a task. A queued one is just removed; a running one needs the
   * engine process restarted (sd-server cannot interrupt a job), which the
   * result reports as `engineRestarted`.
   */
  async cancel(id: string): Promise<{ task: Task; engineRestarted: boolean }> {
    const queued = this.#line.find(id);
    if (queued) {
      this.#line.remove(queued);
      this.#finish(queued, { state: "cancelled" }, false);
      return { task: queued, engineRestarted: false };
    }
    const active = this.#active;
    if (active?.task.id === id) {
      if (!active.cancelRequested) {
        active.cancelRequested = true;
        active.abort.abort(); // e.g. kills a child process the kind runs
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
    const position = this.#line.add(task, this.#keyOf(task), true);
    this.opts.bus.publish("task.queued", { id: task.id, position, incognito: task.incognito });
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
    this.#line.forget(task.id);
    this.#publishStatus();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const task = this.#paused ? null : this.#line.next();
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
    const run = activeRun(task);
    this.#active = run;
    task.state = "running";
    task.started = Date.now();
    if (!task.incognito) this.store.update(task);
    this.opts.bus.publish("task.started", { id: task.id });
    this.#publishStatus();
    const outcome = await runQueuedTask(this.kinds, run, {
      engine: this.opts.engine,
      bus: this.opts.bus,
      log: this.opts.log,
      models: this.#at().models,
      paths: this.opts.paths,
      save: { store: this.store, incognito: this.incognito, outputs: this.opts.paths.outputs, templates: this.opts.templates() },
      onModelSet: (key) => (this.#line.currentKey = key),
    });
    this.#active = null;
    try {
      // After stop() the task is already recorded as interrupted and the database may be closing.
      if (!this.#stopped) this.#finish(task, outcome, run.engineRestarted);
    } finally {
      run.markDone();
    }
  }
}
