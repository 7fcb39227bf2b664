/**
 * Executors: what the queue runs tasks on. The queue runs one task on each
 * idle executor at once (dispatch.ts chooses which task goes where, keeping
 * the queue's order): an engine on this computer (one per GPU, engine/pool/)
 * or another computer working for this one (a worker). The queue keeps the
 * order, pause, cancel, removal and events; an executor only runs the task it
 * is given and stops it when asked.
 *
 * An engine executor runs the task's kind here, on its engine (hooks.runHere);
 * an executor that runs the task elsewhere reports progress and hands the
 * pictures back through the hooks, which save them here with their metadata.
 * Executors are added and removed while the app runs (`Executors`), e.g. a
 * worker the user adds in Settings.
 */
import type { Engine } from "../engine/types";
import type { ResolvedRequest } from "../common/image-request";
import { Listeners } from "../engine/process/listeners";
import type { ActiveTask } from "./execute";
import type { ImageExtras } from "./outputs";
import type { ActiveRun, RunOutcome } from "./runner";
import type { ImageRecord, Task } from "./task";

export type ExecutorKind = "engine" | "worker";

/**
 * ready: takes tasks when idle; paused: the user paused it; offline: cannot be reached or is down; waiting: ready but
 * for hardware others use now (an engine split over GPUs the per-GPU engines run on): a task only it can run then
 * holds back later tasks once passed over often enough (dispatch.ts).
 */
export type ExecutorState = "ready" | "paused" | "offline" | "waiting";

/** What the queue hands an executor for one task. */
export interface ExecutorHooks {
  /** The task's engine key (its model set; a kind without one names a constant of its own). */
  readonly key: string;
  /** Runs the task by its kind here, on this engine (picture steps included); `loaded` hears the key of the model set it now holds. */
  runHere(engine: Engine, loaded: (key: string | null) => void): Promise<RunOutcome>;
  /** Shows the task's progress (task view, `task.progress`). */
  progress(p: ActiveRun["progress"]): void;
  /** Saves picture `index` here (PNG in; output format and metadata from `request`) and announces it (`task.image`). */
  savePicture(index: number, png: Uint8Array, request: ResolvedRequest, extras?: ImageExtras): Promise<ImageRecord>;
  /** The bytes of a picture saved here earlier (a task's input); null when gone. */
  readPicture(imageId: string): Promise<Uint8Array | null>;
}

export interface TaskExecutor {
  /** Stable while it exists, e.g. "engine", "engine:CUDA1", "worker:…". */
  readonly id: string;
  /** For people: "NVIDIA RTX 4090 (CUDA1)", "studio-pc". */
  readonly label: string;
  readonly kind: ExecutorKind;
  state(): ExecutorState;
  /** The engine key whose model set it holds now (null: none or unknown): tasks with it run without a reload. */
  heldKey(): string | null;
  /** null: it cannot run this task (e.g. lacks its models); higher: better (e.g. 2 = holds its model set, 1 = empty, 0 = must reload). */
  score(task: Task, key: string): number | null;
  /** Runs one task to its outcome; failures it knows become a failed outcome (what it throws fails the task with `internal`). */
  run(active: ActiveTask, hooks: ExecutorHooks): Promise<RunOutcome>;
  /** Stops the task running on it (cancel); sets `active.engineRestarted` when that restarts its engine. Affects no other executor. */
  cancel(active: ActiveTask): Promise<void>;
  /** Hears changes of state (resumed, back online) so the queue looks for work again. */
  on?(listener: () => void): () => void;
}

/** Score of a task on an engine by what it holds: its model set (no reload), nothing, another set (a reload). */
export function affinity(held: string | null, key: string): number {
  return held === key ? 2 : held === null ? 1 : 0;
}

export interface EngineExecutorOptions {
  id?: string;
  label?: string;
  /** Paused by the user (per device); default never. */
  paused?: () => boolean;
  /** Whether it can run this task (e.g. split engines only take sets too big for one GPU); default: every task. */
  accepts?: (task: Task, key: string) => boolean;
  /** Heard when it starts or ends a task (the engine pool shows each device's task). */
  onTask?: (taskId: string | null) => void;
  log?: { warn(message: string): void };
}

/** An engine on this computer: runs tasks here, one at a time; cancelling a generating job restarts only this engine. */
export function engineExecutor(engine: Engine, o: EngineExecutorOptions = {}): TaskExecutor & { readonly engine: Engine } {
  let held: string | null = null;
  return {
    id: o.id ?? "engine",
    label: o.label ?? "Engine",
    kind: "engine",
    engine,
    state: () => (o.paused?.() ? "paused" : "ready"),
    heldKey: () => held,
    score: (task, key) => (o.accepts && !o.accepts(task, key) ? null : affinity(held, key)),
    run: async (active, hooks) => {
      o.onTask?.(active.task.id);
      try {
        return await hooks.runHere(engine, (key) => (held = key));
      } finally {
        o.onTask?.(null);
      }
    },
    cancel: async (active) => {
      // sd-server cannot stop a generating job: its engine restarts (only this one).
      active.engineRestarted = !!active.jobId;
      if (active.jobId) await engine.cancel(active.jobId).catch((err) => o.log?.warn(`cancel ${active.task.id}: ${err}`));
    },
  };
}

/** The executors of one queue; added and removed while it runs. */
export class Executors {
  #list: TaskExecutor[] = [];
  #offs = new Map<string, () => void>();
  #listeners = new Listeners<void>();

  constructor(initial: TaskExecutor[] = []) {
    for (const e of initial) this.add(e);
  }

  list(): readonly TaskExecutor[] {
    return this.#list;
  }

  get(id: string): TaskExecutor | undefined {
    return this.#list.find((e) => e.id === id);
  }

  /** Adds (or replaces, by id) an executor; the queue looks for work for it at once. */
  add(executor: TaskExecutor): void {
    this.remove(executor.id, false);
    this.#list.push(executor);
    const off = executor.on?.(() => this.#listeners.emit());
    if (off) this.#offs.set(executor.id, off);
    this.#listeners.emit();
  }

  /** Takes an executor away: it gets no new task (one it runs finishes there). */
  remove(id: string, announce = true): void {
    this.#offs.get(id)?.();
    this.#offs.delete(id);
    const before = this.#list.length;
    this.#list = this.#list.filter((e) => e.id !== id);
    if (announce && before !== this.#list.length) this.#listeners.emit();
  }

  /** Heard on any change (added, removed, an executor's state): the queue looks for work again. */
  onChange(listener: () => void): () => void {
    return this.#listeners.add(listener);
  }
}
