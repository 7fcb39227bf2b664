/**
 * Runs one task on the engine: resolve models, make sure sd-server runs with
 * this model set, submit, follow progress, poll until the job ends. Polling
 * starts fast and backs off; an engine `done`/`decoding` line or a cancel
 * wakes it at once, so a finished job is noticed within a few milliseconds.
 */
import type { Engine, EngineEvent, EngineJob, EngineStatus } from "../engine/types";
import type { TaskProgressEvent } from "./events";
import { ModelNotFoundError, resolveModels, type ResolvedModels } from "../models/resolve";
import type { SearchPath } from "../models/roots";
import { modelSetKey, translate } from "./translate";
import type { Task, TaskError } from "./task";

export interface ActiveRun {
  task: Task;
  jobId?: string;
  cancelRequested: boolean;
  /** Set when stopping this task restarted the engine. */
  engineRestarted: boolean;
  progress: Omit<TaskProgressEvent, "id">;
  wake: () => void;
}

export interface RunDeps {
  engine: Engine;
  /** Where model names are looked up (the app's folder, then the extra roots). */
  models: SearchPath;
  /** The model set is loaded: tasks with the same key can follow without a restart. */
  onModelSet(key: string | null): void;
  /** The task's model files are known (e.g. to start hashing them while the engine works). */
  onResolved?(models: ResolvedModels): void;
  onProgress(run: ActiveRun): void;
  /** Saves one finished image (index in the batch). */
  onImage(run: ActiveRun, index: number, bytes: Uint8Array, models: ResolvedModels): Promise<void>;
  pollMinMs?: number;
  pollMaxMs?: number;
}

export type RunOutcome = { state: "succeeded" } | { state: "cancelled" } | { state: "failed"; error: TaskError };

const LOAD_EVENT_MS = 250;
const ENGINE_DOWN = new Set<EngineStatus["state"]>(["restarting", "stopped", "failed", "starting", "absent"]);

function engineError(status: EngineStatus, fallback: string): TaskError {
  const e = status.error;
  const code = e?.code ? `engine_${e.code.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase()}` : "engine_failed";
  return { code, message: e ? `${e.message}${e.hint ? ` (${e.hint})` : ""}` : fallback };
}

export async function runTask(run: ActiveRun, deps: RunDeps): Promise<RunOutcome> {
  let models: ResolvedModels;
  try {
    models = resolveModels(deps.models, run.task.request);
  } catch (err) {
    if (err instanceof ModelNotFoundError) return { state: "failed", error: { code: "model_not_found", message: err.message } };
    throw err;
  }
  deps.onResolved?.(models);
  const { modelSet, body } = translate(run.task.request, models);
  try {
    await deps.engine.ensure(modelSet);
    deps.onModelSet(modelSetKey(modelSet));
  } catch (err) {
    deps.onModelSet(null);
    if (run.cancelRequested) return { state: "cancelled" };
    return { state: "failed", error: engineError(deps.engine.status(), `the engine could not start: ${(err as Error).message}`) };
  }
  if (run.cancelRequested) return { state: "cancelled" };

  let lostEngine: EngineStatus | null = null;
  let lastLoadEvent = -Infinity;
  let passes = 0;
  let lastStep = 0;
  const off = deps.engine.on((event: EngineEvent) => {
    if (event.type === "state" && ENGINE_DOWN.has(event.status.state)) {
      lostEngine ??= event.status;
      run.wake();
    } else if (event.type === "progress") {
      const p = event.progress;
      if (p.kind === "sampling") {
        const rate = p.itPerSec ?? (p.secPerIt ? 1 / p.secPerIt : null);
        // A new sampling pass starts when the step count drops; hires fix makes two passes per image.
        if (p.step < lastStep) passes++;
        lastStep = p.step;
        const image = Math.min(run.task.request.num_images, Math.floor(passes / (run.task.request.hires ? 2 : 1)) + 1);
        run.progress = { phase: "sampling", step: p.step, steps: p.steps, rate, eta: rate ? Math.max(0, (p.steps - p.step) / rate) : null, image, images: run.task.request.num_images };
        deps.onProgress(run);
      } else if (p.kind === "load") {
        // Weight loading redraws its bar per tensor: tell the UI a few times a second, not hundreds.
        const now = performance.now();
        if (now - lastLoadEvent >= LOAD_EVENT_MS || p.current === p.total) {
          lastLoadEvent = now;
          run.progress = { ...run.progress, phase: "loading", step: p.current, steps: p.total, rate: null, eta: null };
          deps.onProgress(run);
        }
      } else {
        if (p.kind === "decoding") {
          run.progress = { ...run.progress, phase: "decoding", eta: 0 };
          deps.onProgress(run);
        }
        run.wake();
      }
    }
  });
  try {
    let job: EngineJob;
    try {
      run.jobId = await deps.engine.submit(body);
      job = await waitForJob(run, deps, () => lostEngine);
    } catch (err) {
      if (run.cancelRequested) return { state: "cancelled" };
      const status = lostEngine ?? deps.engine.status();
      return { state: "failed", error: engineError(status, `the engine failed: ${(err as Error).message}`) };
    }
    if (job.status === "cancelled" || run.cancelRequested) return { state: "cancelled" };
    if (job.status === "failed") {
      const status = deps.engine.status();
      return { state: "failed", error: status.error ? engineError(status, "") : { code: job.error?.code ?? "generation_failed", message: job.error?.message ?? "the engine could not make the image" } };
    }
    const images = [...(job.images ?? [])].sort((a, b) => a.index - b.index);
    if (!images.length) return { state: "failed", error: { code: "no_images", message: "the engine finished without returning an image" } };
    for (const img of images) await deps.onImage(run, img.index, img.data, models);
    return { state: "succeeded" };
  } finally {
    off();
  }
}

async function waitForJob(run: ActiveRun, deps: RunDeps, lost: () => EngineStatus | null): Promise<EngineJob> {
  const min = deps.pollMinMs ?? 2;
  const max = deps.pollMaxMs ?? 50;
  let interval = min;
  for (;;) {
    const down = lost();
    if (down && !run.cancelRequested) throw new Error(down.error?.message ?? `the engine went ${down.state} during the task`);
    const job = await deps.engine.poll(run.jobId!);
    if (job.status === "completed" || job.status === "failed" || job.status === "cancelled") return job;
    const woken = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), interval);
      run.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    run.wake = () => {};
    interval = woken ? min : Math.min(max, Math.ceil(interval * 1.5));
  }
}
