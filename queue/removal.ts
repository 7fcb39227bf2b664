/**
 * Removing tasks from the lists, with an undo. A removed task is hidden, not
 * deleted: its row keeps a removal (token, deadline, the state it had, and
 * whether its pictures go too), committed before the answer, so a crash or a
 * restart loses nothing and the undo still works until its deadline. A
 * waiting task is cancelled by its removal; undo queues it again at its old
 * place. A finished task's pictures stay on disk unless the user asked to
 * delete them too; then they are deleted once the undo has expired (checked
 * every few seconds and at start), and `task.pictures_deleted` tells the
 * Gallery. A running task cannot be removed: stop it first.
 */
import { unlinkSync } from "node:fs";
import type { EventBus } from "../core/events/bus";
import { realInside } from "../core/files/inside";
import type { Logger } from "../core/log";
import { TaskConflictError, TaskNotFoundError } from "./errors";
import type { TaskQueue } from "./queue";
import "./events";
import { isFinal, newId, type Task } from "./task";
import { NamedError } from "../core/server/errors";

/** How long a removal can be undone (the UI offers it for a few seconds; the rest is slack). */
export const UNDO_MS = 60_000;

export class UndoNotFoundError extends NamedError {
  override name = "UndoNotFoundError";
  override readonly code = "not_found";
  override readonly status = 404;
  constructor(readonly token: string) {
    super(`removal ${token} not found`);
  }
}

export class UndoExpiredError extends NamedError {
  override name = "UndoExpiredError";
  override readonly code = "undo_expired";
  override readonly status = 410;
  constructor(readonly token: string) {
    super("it is too late to undo this removal");
  }
}

export interface RemovalOptions {
  queue: TaskQueue;
  bus: EventBus;
  /** Only files inside it are ever deleted. */
  outputs: string;
  log?: Logger;
  undoMs?: number;
  now?: () => number;
}

export interface RemoveSelection {
  ids?: string[];
  /** Every finished task in the lists. */
  finished?: boolean;
  deletePictures?: boolean;
}

export class TaskRemovals {
  #timer: ReturnType<typeof setInterval> | null = null;
  /** Incognito tasks are removed in memory only: by token. */
  #incognito = new Map<string, Task[]>();

  constructor(readonly opts: RemovalOptions) {}

  #now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Deletes what expired while the app was not running, then checks every few seconds. */
  start(intervalMs = 5_000): void {
    this.sweep();
    this.#timer = setInterval(() => this.sweep(), intervalMs);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #select(sel: RemoveSelection): Task[] {
    const { queue } = this.opts;
    if (sel.finished) return queue.list(100_000).filter((t) => isFinal(t.state));
    const tasks: Task[] = [];
    for (const id of new Set(sel.ids ?? [])) {
      const task = queue.get(id);
      if (!task || task.removed) throw new TaskNotFoundError(id);
      if (task.state === "running") throw new TaskConflictError(`task ${id} is running: stop it first`);
      tasks.push(task);
    }
    return tasks;
  }

  /** Hides the tasks (cancelling waiting ones); answers the undo token. */
  async remove(sel: RemoveSelection): Promise<{ undo: string; removed: string[]; until: number }> {
    const tasks = this.#select(sel);
    const undo = newId("u");
    const until = this.#now() + (this.opts.undoMs ?? UNDO_MS);
    const plan = tasks.map((task) => ({ task, from: task.state }));
    // Waiting ones leave the queue first (one that started meanwhile runs on: stop it to remove it).
    for (const { task, from } of plan) if (from === "queued" && task.state === "queued") await this.opts.queue.cancel(task.id);
    const removedTasks = plan.filter(({ task }) => task.state !== "running").map(({ task }) => task);
    const { store } = this.opts.queue;
    // One transaction: "Clear finished" over a long history is one write, not one per task.
    store.db.transaction(() => {
      for (const { task, from } of plan) {
        if (task.state === "running") continue;
        task.removed = { undo, until, from, deletePictures: !!sel.deletePictures && !task.incognito };
        if (!task.incognito) store.setRemoval(task, task.removed);
      }
    })();
    const incognito = removedTasks.filter((t) => t.incognito);
    if (incognito.length) this.#incognito.set(undo, incognito);
    const removed = removedTasks.map((t) => t.id);
    if (removed.length) this.opts.bus.publish("task.removed", { ids: removed, undo, until });
    return { undo, removed, until };
  }

  /** Brings back the tasks of one removal, exactly as they were; a waiting one goes back to its place in the queue. */
  undo(token: string): string[] {
    const tasks = [...this.opts.queue.store.removedWith(token), ...(this.#incognito.get(token) ?? [])];
    if (!tasks.length) throw new UndoNotFoundError(token);
    const now = this.#now();
    if (tasks.some((t) => !t.removed || t.removed.until <= now)) throw new UndoExpiredError(token);
    const waiting = new Set(tasks.filter((t) => t.removed!.from === "queued"));
    const { store } = this.opts.queue;
    store.db.transaction(() => {
      for (const task of tasks) {
        if (waiting.has(task)) {
          task.state = "queued";
          delete task.finished;
        }
        delete task.removed;
        if (!task.incognito) store.setRemoval(task, null);
      }
    })();
    for (const task of waiting) this.opts.queue.requeue(task);
    this.#incognito.delete(token);
    const ids = tasks.map((t) => t.id);
    this.opts.bus.publish("task.restored", { ids });
    return ids;
  }

  /** Deletes the pictures of removals that asked for it and can no longer be undone. */
  sweep(): void {
    const now = this.#now();
    for (const [token, tasks] of this.#incognito) if (tasks.every((t) => (t.removed?.until ?? 0) <= now)) this.#incognito.delete(token);
    const { store } = this.opts.queue;
    for (const task of store.picturesToDelete(now)) {
      const deleted: string[] = [];
      for (const image of store.imagesOf(task.id)) {
        if (!image.path || !realInside(this.opts.outputs, image.path)) continue;
        try {
          unlinkSync(image.path);
          deleted.push(image.path);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "ENOENT") this.opts.log?.warn(`queue: could not delete ${image.path}: ${(err as Error).message}`);
        }
      }
      deleted.push(...(this.opts.queue.kinds.of(task.request).deleteOutputs?.(task) ?? []));
      store.forgetPictures(task.id);
      if (deleted.length) this.opts.bus.publish("task.pictures_deleted", { id: task.id, paths: deleted });
    }
  }
}
