/**
 * What running one queued task involves, apart from the queue's bookkeeping:
 * an upscale task goes to sd-cli (upscale/), any other to the engine
 * (runner.ts); each finished picture is saved and announced, and a task with
 * an upscale post-step gets an upscaled copy of each picture after it.
 */
import type { Engine } from "../engine/types";
import type { EventBus } from "../core/events/bus";
import type { Paths } from "../core/paths";
import type { SearchPath } from "../models/roots";
import { UpscaleStep } from "../upscale/queue-step";
import { saveUpscaled } from "../upscale/save";
import { loadUpscaleSource } from "../upscale/source";
import { imageRef } from "./events";
import { runTask, type ActiveRun, type RunOutcome } from "./runner";
import type { MemoryMemo } from "./memory-memo";
import { saveImage, type SaveDeps } from "./save";
import type { Task } from "./task";

export interface ExecuteDeps {
  engine: Engine;
  bus: EventBus;
  models: SearchPath;
  paths: Paths;
  save: SaveDeps;
  pollMinMs?: number;
  pollMaxMs?: number;
  /** The engine now runs this model set (tasks with the same key follow without a restart). */
  onModelSet(key: string | null): void;
  /** GPU memory use remembered per model set (out-of-memory retry). */
  memory?: MemoryMemo;
}

export async function runQueuedTask(task: Task, run: ActiveRun & { abort: AbortController }, deps: ExecuteDeps): Promise<RunOutcome> {
  const announce = (index: number, record: Parameters<typeof imageRef>[0]) => deps.bus.publish("task.image", { id: task.id, index, image: imageRef(record) });
  const upscale = new UpscaleStep(task, {
    engine: deps.engine,
    models: deps.models,
    signal: run.abort.signal,
    onProgress: (p) => {
      run.progress = p;
      deps.bus.publish("task.progress", { id: task.id, ...p });
    },
    save: async (png, index, note) => {
      const record = await saveUpscaled(deps.save, task, index, png, note);
      announce(index, record);
      return record;
    },
    loadSource: (s) => loadUpscaleSource(s, deps.save.store, deps.save.incognito, deps.paths.outputs),
  });
  if (task.request.upscale_of) return upscale.run();
  const outcome = await runTask(run, {
    engine: deps.engine,
    models: deps.models,
    embeddingsView: deps.paths.engineEmbeddings,
    pollMinMs: deps.pollMinMs,
    pollMaxMs: deps.pollMaxMs,
    onModelSet: deps.onModelSet,
    memory: deps.memory,
    // Hashing a checkpoint takes seconds: do it while the engine generates, not after.
    onResolved: (models) => {
      if (!task.incognito) for (const path of [models.model.path, ...models.loras.map((l) => l.path)]) void deps.save.hashes.short(path);
    },
    onProgress: (r) => deps.bus.publish("task.progress", { id: task.id, ...r.progress }),
    onImage: async (r, index, bytes, models) => {
      const record = await saveImage(deps.save, r.task, index, bytes, models);
      announce(index, record);
      await upscale.afterImage(index, bytes, record, run.cancelRequested);
    },
  });
  return upscale.outcome(outcome);
}
