/**
 * The waiting line: queued tasks in queue order, each with the engine key
 * its kind named (the model set it needs), and how often each was passed
 * over; `take` hands a task to an idle executor (dispatch.ts: queue order,
 * the model set an executor holds may go ahead, fairly). In memory: the
 * store has the durable order.
 */
import { dispatch } from "./dispatch";
import type { TaskExecutor } from "./executors";
import type { Task } from "./task";

export class WaitingLine {
  #tasks: Task[] = [];
  #keys = new Map<string, string>();
  #skips = new Map<string, number>();
  /** A task put back after its executor failed under it: not that one again. */
  #avoid = new Map<string, string>();

  get tasks(): readonly Task[] {
    return this.#tasks;
  }

  /** Tasks waiting to run (removed-but-undoable ones are not in the line). */
  waiting(): number {
    return this.#tasks.filter((t) => t.state === "queued").length;
  }

  lastPosition(): number {
    return this.#tasks.at(-1)?.position ?? 0;
  }

  find(id: string): Task | undefined {
    return this.#tasks.find((t) => t.id === id);
  }

  /** Adds a task at the end, or at its place by position (`inOrder`: a task put back; `avoid`: not on that executor); returns its place (1-based). */
  add(task: Task, key: string, inOrder = false, avoid?: string): number {
    this.#tasks.push(task);
    if (avoid) this.#avoid.set(task.id, avoid);
    if (inOrder) this.#tasks.sort((a, b) => a.position - b.position || a.created - b.created);
    this.#keys.set(task.id, key);
    return this.#tasks.indexOf(task) + 1;
  }

  /** Takes a task out of the line (cancelled, or about to run) and forgets its bookkeeping. */
  remove(task: Task): void {
    this.#tasks = this.#tasks.filter((t) => t !== task);
    this.forget(task.id);
  }

  forget(id: string): void {
    this.#keys.delete(id);
    this.#skips.delete(id);
    this.#avoid.delete(id);
  }

  /** Puts these tasks first, in this order (unknown ids are ignored); positions are renumbered. Returns the new order. */
  reorder(ids: string[]): readonly Task[] {
    const byId = new Map(this.#tasks.map((t) => [t.id, t]));
    const first = ids.map((id) => byId.get(id)).filter((t): t is Task => !!t);
    const chosen = new Set(first);
    this.#tasks = [...new Set([...first, ...this.#tasks.filter((t) => !chosen.has(t))])];
    this.#tasks.forEach((t, i) => (t.position = i + 1));
    this.#skips.clear();
    return this.#tasks;
  }

  /** The engine key its kind named for a waiting task. */
  keyOf(id: string): string | undefined {
    return this.#keys.get(id);
  }

  /**
   * The task to run now on one of these idle executors, out of the line; null when none of them can run a waiting task.
   * `waiting`: executors that wait for hardware others use now (dispatch.ts fairness). Every task the pick passes counts a skip.
   */
  take(idle: readonly TaskExecutor[], waiting: readonly TaskExecutor[] = []): { task: Task; executor: TaskExecutor; key: string } | null {
    const byId = new Map(this.#tasks.map((t) => [t.id, t]));
    const slot = (e: TaskExecutor) => ({
      id: e.id,
      key: e.heldKey(),
      score: (c: { id: string; modelKey: string }) => (this.#avoid.get(c.id) === e.id ? null : e.score(byId.get(c.id)!, c.modelKey)),
    });
    const queued = this.#tasks.map((t) => ({ id: t.id, modelKey: this.#keys.get(t.id) ?? "" }));
    const pick = dispatch(queued, idle.map(slot), this.#skips, undefined, waiting.map(slot));
    if (!pick) return null;
    for (const c of queued.slice(0, queued.findIndex((c) => c.id === pick.taskId))) this.#skips.set(c.id, (this.#skips.get(c.id) ?? 0) + 1);
    const task = byId.get(pick.taskId)!;
    const key = this.#keys.get(task.id) ?? "";
    this.#tasks = this.#tasks.filter((t) => t !== task);
    return { task, executor: idle.find((e) => e.id === pick.slotId)!, key };
  }
}
