/**
 * The task queue: durable tasks in SQLite (incognito ones in memory), one task at a time on each idle
 * executor (executors.ts: an engine per GPU, a worker), pause/resume, reorder, cancel, retry, and live
 * progress on the bus. What a task does is up to its kind (task-kinds.ts: the image kind, and those the
 * composition root hands over). A task is stored before submit() returns; after a restart, queued tasks
 * continue and a task that was running is failed with reason "interrupted". */
import type { Engine } from "../engine/types";
import type { EventBus } from "../core/events/bus";
import type { Logger } from "../core/log";
import type { Paths } from "../core/paths";
import "./events";
import { IncognitoMemory } from "./incognito";
import type { ModelHashes } from "../models/hashes";
import { activeRun, executorHooks, type ActiveTask } from "./execute";
import { engineExecutor, Executors, type TaskExecutor } from "./executors";
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
import { retryElsewhere } from "./retry-elsewhere";
import { QueueFullError, TaskConflictError, TaskNotFoundError } from "./errors";

export interface QueueOptions {
  store: TaskStore;
  /** The engine of the default executor (used when `executors` is not given). */
  engine: Engine;
  /** What tasks run on (engines per device, workers); default: one executor on `engine`. */
  executors?: Executors;
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
  readonly executors: Executors;
  #line = new WaitingLine();
  /** Running tasks, oldest first, with the executor each runs on. */
  #running = new Map<string, { active: ActiveTask; executor: TaskExecutor }>();
  #paused: boolean;
  #stopped = false;
  #wakeLoop: () => void = () => {};
  #loop: Promise<void> | null = null;

  constructor(readonly opts: QueueOptions) {
    this.store = opts.store;
    this.hashes = opts.hashes;
    this.kinds = new TaskKinds(imageKind(opts), opts.kinds, opts.pictureSteps);
    this.#paused = this.store.setting("paused") === "true";
    this.executors = opts.executors ?? new Executors([engineExecutor(opts.engine, { log: opts.log })]);
    this.executors.onChange(() => this.#wakeLoop());
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
    for (const { active } of this.#running.values()) recordInterrupted(this.store, active.task);
    await Promise.race([Promise.all([this.#loop, ...[...this.#running.values()].map((r) => r.active.done)]), Bun.sleep(2000)]);
  }

  #at = (): SubmitContext => ({ models: this.opts.models?.() ?? searchPath(this.opts.paths), paths: this.opts.paths });
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
    const running = this.#running.get(id);
    if (running) return running.active.task;
    return this.#line.find(id) ?? this.incognito.task(id) ?? this.store.get(id);
  }

  /** Live progress of a running task, or null. */
  progressOf(id: string): ActiveRun["progress"] | null {
    return this.#running.get(id)?.active.progress ?? null;
  }

  /** The running tasks, oldest first, with the id of the executor each runs on. */
  runningTasks(): { task: Task; executor: string }[] {
    return [...this.#running.values()].map(({ active, executor }) => ({ task: active.task, executor: executor.id }));
  }

  images(task: Task): ImageRecord[] {
    return task.incognito ? this.incognito.imagesOf(task.id) : this.store.imagesOf(task.id);
  }

  /** Running and queued tasks first (in queue order), then history, newest first. */
  list(limit = 100): Task[] {
    const live = [...[...this.#running.values()].map((r) => r.active.task), ...this.#line.tasks];
    const liveIds = new Set(live.map((t) => t.id));
    const history = [...this.incognito.tasks().filter((t) => isFinal(t.state) && !t.removed), ...this.store.list(limit).filter((t) => !liveIds.has(t.id))]
      .sort((a, b) => b.created - a.created)
      .slice(0, limit);
    return [...live, ...history];
  }

  status() {
    return { running: this.#running.size, total: this.#line.tasks.length + this.#running.size, paused: this.#paused };
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
   * Stops a task. A queued one is just removed; a running one is stopped by
   * its executor: its engine process restarts (sd-server cannot interrupt a
   * job), which the result reports as `engineRestarted`; other tasks run on.
   */
  async cancel(id: string): Promise<{ task: Task; engineRestarted: boolean }> {
    const queued = this.#line.find(id);
    if (queued) {
      this.#line.remove(queued);
      this.#finish(queued, { state: "cancelled" }, false);
      return { task: queued, engineRestarted: false };
    }
    const running = this.#running.get(id);
    if (running) {
      const { active, executor } = running;
      if (!active.cancelRequested) {
        active.cancelRequested = true;
        active.abort.abort(); // e.g. kills a child process the kind runs
        await executor.cancel(active).catch((err) => this.opts.log?.warn(`cancel ${id}: ${err}`));
        active.wake();
      }
      await Promise.race([active.done, Bun.sleep(30_000)]);
      return { task: active.task, engineRestarted: active.engineRestarted };
    }
    const task = this.get(id);
    if (!task) throw new TaskNotFoundError(id);
    throw new TaskConflictError(`task ${id} already ${task.state}`);
  }

  /** Puts a task back in the queue at its old place: its removal was undone, or its executor failed under it (`avoid`: not there again). */
  requeue(task: Task, avoid?: string): void {
    task.state = "queued";
    delete task.finished;
    if (avoid && !task.incognito) this.store.update(task);
    const position = this.#line.add(task, this.#keyOf(task), true, avoid);
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
      const all = this.executors.list();
      const idle = all.filter((e) => e.state() === "ready" && !this.#busy(e.id));
      const next = this.#paused ? null : this.#line.take(idle, all.filter((e) => e.state() === "waiting"));
      if (!next) {
        await new Promise<void>((resolve) => (this.#wakeLoop = resolve));
        continue;
      }
      // Not awaited: the loop goes on to give the next idle executor a task.
      this.#execute(next.task, next.executor, next.key).catch((err) => {
        // Bookkeeping failed (e.g. the database closed under us at shutdown): keep the loop alive.
        this.#running.delete(next.task.id);
        this.opts.log?.error(`queue: task ${next.task.id}: ${(err as Error).message}`);
        this.#wakeLoop();
      });
    }
  }

  #busy = (executorId: string): boolean => [...this.#running.values()].some((r) => r.executor.id === executorId);

  async #execute(task: Task, executor: TaskExecutor, key: string): Promise<void> {
    const run = activeRun(task);
    this.#running.set(task.id, { active: run, executor });
    task.state = "running";
    task.started = Date.now();
    if (!task.incognito) this.store.update(task);
    this.opts.bus.publish("task.started", { id: task.id });
    this.#publishStatus();
    const hooks = executorHooks(this.kinds, run, key, {
      bus: this.opts.bus,
      log: this.opts.log,
      models: this.#at().models,
      paths: this.opts.paths,
      save: { store: this.store, incognito: this.incognito, outputs: this.opts.paths.outputs, templates: this.opts.templates() },
    });
    const outcome = await executor.run(run, hooks).catch((err): RunOutcome => {
      this.opts.log?.error(`task ${task.id} failed on ${executor.id}`, { error: String(err) });
      return { state: "failed", error: { code: "internal", message: (err as Error)?.message ?? String(err) } };
    });
    this.#running.delete(task.id);
    const retry = this.#stopped || run.cancelRequested ? null : retryElsewhere(task, outcome, executor, this.executors.list(), key);
    try {
      // After stop() the task is already recorded as interrupted and the database may be closing.
      if (retry) this.requeue(Object.assign(task, { notes: { ...task.notes, retry } }), executor.id);
      else if (!this.#stopped) this.#finish(task, outcome, run.engineRestarted);
    } finally {
      run.markDone();
      this.#wakeLoop();
    }
  }
}
