/**
 * What a restart finds and what a stop leaves: pictures a crash left
 * between their write and their rename are finished or removed (one folder,
 * cheap to list); a task that was running cannot be resumed (the engine lost
 * it) and fails with code `interrupted`; queued tasks continue. Stopping the
 * app records its running task as interrupted at once rather than at the
 * next start.
 */
import type { EventBus } from "../core/events/bus";
import type { Logger } from "../core/log";
import { recoverIncoming } from "./outputs";
import { INTERRUPTED, type TaskStore } from "./store";
import type { Task } from "./task";

/** Recovers from the last run; returns the tasks still queued, in queue order. */
export function recoverLastRun(store: TaskStore, outputs: string, bus: EventBus, log?: Logger): Task[] {
  const recovered = recoverIncoming(outputs, (id) => store.imagePath(id));
  if (recovered.finished || recovered.removed) log?.info("outputs: recovered after a crash", recovered);
  for (const id of store.failInterrupted()) bus.publish("task.failed", { id, error: INTERRUPTED });
  return store.queued();
}

/** The engine goes down with the app: a running task cannot finish. */
export function recordInterrupted(store: TaskStore, task: Task): void {
  if (task.incognito) return;
  task.state = "failed";
  task.error = INTERRUPTED;
  task.finished = Date.now();
  store.update(task);
}
