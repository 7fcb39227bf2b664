/**
 * A task whose engine crashed or went away under it (one GPU's sd-server killed, a worker gone) runs once
 * more on another executor that can run it; only its own engine's failure counts, never the task's (a
 * model that does not load, out of memory, a bad request), and only once. Pure.
 */
import type { TaskExecutor } from "./executors";
import type { RunOutcome } from "./runner";
import type { Task, TaskNotes } from "./task";

/** Failure codes that say the executor, not the task, failed (engine/types.ts codes as the runner prefixes them). */
export const LOST_EXECUTOR_CODES = new Set(["engine_crashed", "engine_failed", "engine_start_timeout", "worker_lost"]);

export function retryElsewhere(task: Task, outcome: RunOutcome, from: TaskExecutor, all: readonly TaskExecutor[], key: string): TaskNotes["retry"] | null {
  if (outcome.state !== "failed" || !LOST_EXECUTOR_CODES.has(outcome.error.code) || task.notes?.retry) return null;
  if (!all.some((e) => e.id !== from.id && e.state() !== "offline" && e.score(task, key) !== null)) return null;
  return { from: from.id, note: `${from.label} stopped during this task (${outcome.error.message}): it ran again on another` };
}
