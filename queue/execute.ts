/**
 * What running one queued task involves, apart from the queue's bookkeeping:
 * the task's kind runs it (task-kinds.ts) with a TaskRun that saves and
 * announces its pictures, reads pictures saved earlier and reports progress;
 * the picture steps its request asks for run after each saved picture, and
 * their failures are folded into the outcome. `executorHooks` is what an
 * executor (executors.ts) gets: run it here on an engine, or report progress
 * and hand back pictures made elsewhere.
 */
import type { Engine } from "../engine/types";
import type { EventBus } from "../core/events/bus";
import type { Logger } from "../core/log";
import type { Paths } from "../core/paths";
import { realInside } from "../core/files/inside";
import type { SearchPath } from "../models/roots";
import { imageRef } from "./events";
import type { ExecutorHooks } from "./executors";
import type { ActiveRun, RunOutcome } from "./runner";
import { savePicture, type SaveDeps } from "./save";
import type { PictureStepRun, TaskKinds, TaskRun } from "./task-kinds";
import type { Task, TaskError } from "./task";

/** The running task as the queue holds it: `abort` is signalled on cancel, `done` resolves once it is recorded. */
export type ActiveTask = ActiveRun & { abort: AbortController; done: Promise<void>; markDone(): void };

export function activeRun(task: Task): ActiveTask {
  let markDone = () => {};
  const done = new Promise<void>((r) => (markDone = r));
  return {
    task,
    cancelRequested: false,
    engineRestarted: false,
    progress: { phase: "loading", step: 0, steps: task.request.steps, rate: null, eta: null },
    wake: () => {},
    abort: new AbortController(),
    done,
    markDone: () => markDone(),
  };
}

export interface ExecuteDeps {
  bus: EventBus;
  log?: Logger;
  models: SearchPath;
  paths: Paths;
  save: SaveDeps;
}

/** The hooks one task's executor gets (executors.ts): run it here on an engine, or report progress and save pictures made elsewhere. */
export function executorHooks(kinds: TaskKinds, active: ActiveTask, key: string, deps: ExecuteDeps): ExecutorHooks {
  const task = active.task;
  return {
    key,
    runHere: (engine, loaded) => runQueuedTask(kinds, active, { ...deps, engine, onModelSet: loaded }),
    progress: (p) => {
      active.progress = p;
      deps.bus.publish("task.progress", { id: task.id, ...p });
    },
    savePicture: async (index, png, request, extras) => {
      const record = await savePicture(deps.save, task, index, png, request, extras);
      deps.bus.publish("task.image", { id: task.id, index, image: imageRef(record) });
      return record;
    },
    readPicture: (id) => readPicture(deps.save, id),
  };
}

/** Runs the task by its kind on this engine; never throws: what the kind throws fails the task with code `internal`. */
export async function runQueuedTask(
  kinds: TaskKinds,
  active: ActiveTask,
  deps: ExecuteDeps & { engine: Engine; onModelSet(key: string | null): void },
): Promise<RunOutcome> {
  const task = active.task;
  const hooks = executorHooks(kinds, active, "", deps);
  const run: TaskRun = {
    task,
    active,
    signal: active.abort.signal,
    engine: deps.engine,
    models: deps.models,
    paths: deps.paths,
    progress: hooks.progress,
    savePicture: hooks.savePicture,
    afterPicture: async (index, png, saved) => {
      for (const step of begun) await step.afterPicture(index, png, saved);
    },
    readPicture: hooks.readPicture,
    engineLoaded: (key) => deps.onModelSet(key),
  };
  const begun: PictureStepRun[] = [];
  try {
    begun.push(...kinds.stepsFor(task.request).map((s) => s.begin(run)));
    const outcome = await kinds.of(task.request).run(run);
    return begun.reduce((o, step) => step.outcome(o), outcome);
  } catch (err) {
    const error: TaskError = { code: "internal", message: (err as Error)?.message ?? String(err) };
    deps.log?.error(`task ${task.id} failed`, { error: String(err) });
    return { state: "failed", error };
  }
}

/** A saved picture's bytes: incognito ones from memory, others from their file if it is still inside the outputs folder. */
async function readPicture(deps: SaveDeps, id: string): Promise<Uint8Array | null> {
  const held = deps.incognito.fetch(id);
  if (held) return held.bytes;
  const path = deps.store.imagePath(id);
  if (!path || !realInside(deps.outputs, path) || !(await Bun.file(path).exists())) return null;
  return new Uint8Array(await Bun.file(path).arrayBuffer());
}
