/**
 * Runs one task on the engine: resolve models, make sure sd-server runs with
 * this model set, submit, follow progress, poll until the job ends. Polling
 * starts fast and backs off (further while sampling steps print); an engine
 * `done`/`decoding` line or a cancel wakes it at once, even one that comes
 * while a poll is in flight, and from then on it polls at the shortest
 * interval, so a finished job is noticed within a few milliseconds.
 * Every wait has a deadline tied to progress: a job that shows no sign of
 * life (progress, output line, state change) for `stallMs`, or a poll that
 * keeps getting answers that are not a job, fails the task with the reason.
 */
import type { Engine, EngineEvent, EngineJob, EngineStatus, ModelSet } from "../engine/types";
import { withMemoryRetry, type MemoryMemo } from "./memory-memo";
import type { TaskProgressEvent } from "./events";
import { ModelNotFoundError, resolveModels, type ResolvedModels } from "../models/resolve";
import type { SearchPath } from "../models/roots";
import { modelSetKey } from "../models/model-set";
import { speedPlanOf, translate } from "./translate";
import { reuseText } from "../common/speed";
import type { Task, TaskError } from "./task";
import { NamedError } from "../core/server/errors";

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
  /** The folder of embedding links the engine gets when embeddings lie outside the app's folder. */
  embeddingsView?: string;
  /** The model set is loaded: tasks with the same key can follow without a restart. */
  onModelSet(key: string | null): void;
  /** The engine runs with the task's model files (e.g. to hash them while it generates); not called when they failed to load. */
  onResolved?(models: ResolvedModels): void;
  onProgress(run: ActiveRun): void;
  /** Saves one finished image (index in the batch). */
  onImage(run: ActiveRun, index: number, bytes: Uint8Array, models: ResolvedModels): Promise<void>;
  pollMinMs?: number;
  pollMaxMs?: number;
  /** No sign of life from the job for this long fails it (default 5 minutes: a big model on CPU is slow, but prints). */
  stallMs?: number;
  /** Polls that fail in a row before the task fails (default 5). */
  pollFailures?: number;
  /** GPU memory use remembered per model set; without it out of memory is not retried. */
  memory?: MemoryMemo;
}

/** The job showed no sign of life for too long, or its polls kept failing. */
export class JobStalledError extends NamedError {
  override name = "JobStalledError";
  override readonly code = "engine_stalled";
  override readonly status = 500;
}

export type RunOutcome = { state: "succeeded" } | { state: "cancelled" } | { state: "failed"; error: TaskError };

const LOAD_EVENT_MS = 250;
const ENGINE_DOWN = new Set<EngineStatus["state"]>(["restarting", "stopped", "failed", "starting", "absent"]);

function engineError(status: EngineStatus, fallback: string): TaskError {
  const e = status.error;
  // The engine's codes are snake_case where they are defined (engine/types.ts EngineErrorCode).
  const code = e?.code ? `engine_${e.code}` : "engine_failed";
  return { code, message: e ? `${e.message}${e.hint ? ` (${e.hint})` : ""}` : fallback };
}

export async function runTask(run: ActiveRun, deps: RunDeps): Promise<RunOutcome> {
  let models: ResolvedModels;
  try {
    models = resolveModels(deps.models, run.task.request, { embeddingsView: deps.embeddingsView });
  } catch (err) {
    if (err instanceof ModelNotFoundError) return { state: "failed", error: { code: err.code, message: err.message } };
    throw err;
  }
  const { modelSet, body } = translate(run.task.request, models);
  const plan = speedPlanOf(run.task.request, models);
  const speedNote: SpeedNote = { mode: plan.mode, option: plan.option, ...(plan.note ? { note: plan.note } : {}) };
  if (plan.mode !== "disabled" || plan.note) run.task.notes = { ...run.task.notes, speed: speedNote };
  const finish = async (job: EngineJob): Promise<RunOutcome> => {
    const images = [...(job.images ?? [])].sort((a, b) => a.index - b.index);
    if (!images.length) return { state: "failed", error: { code: "no_images", message: "the engine finished without returning an image" } };
    for (const img of images) await deps.onImage(run, img.index, img.data, models);
    return { state: "succeeded" };
  };
  // Only a model the engine loaded is worth hashing (loaded): hashing a broken multi-GB file would slow the next task.
  const spec = { submit: (engine: Engine) => engine.submit(body), finish, loaded: () => deps.onResolved?.(models), speedNote };
  return withMemoryRetry(run, modelSet, models.model.path, deps.memory, (set) => runEngineJob(run, deps, { ...spec, modelSet: set }), deps.engine.device?.());
}

type SpeedNote = NonNullable<NonNullable<Task["notes"]>["speed"]>;

/** What runEngineJob needs of the caller's deps (the image kind's RunDeps, or the video kind's). */
export type EngineRunDeps = Pick<RunDeps, "engine" | "onModelSet" | "onProgress" | "pollMinMs" | "pollMaxMs" | "stallMs" | "pollFailures">;

/** One job on the engine: the model set to run, how to submit it, what to do with the completed job. */
export interface EngineJobSpec {
  modelSet: ModelSet;
  submit(engine: Engine): Promise<string>;
  /** A completed job → the outcome (saving what it made). `loaded`: the engine runs the set. */
  finish(job: EngineJob): Promise<RunOutcome>;
  loaded?(): void;
  /** The step caching that runs; the engine's cache summaries are added to it. */
  speedNote: SpeedNote;
}

/** One go at a job with this model set (the memory retry may run a second at a lower level); image and video tasks use it. */
export async function runEngineJob(run: ActiveRun, deps: EngineRunDeps, spec: EngineJobSpec): Promise<RunOutcome> {
  const { modelSet, speedNote } = spec;
  try {
    await deps.engine.ensure(modelSet);
    deps.onModelSet(modelSetKey(modelSet));
    spec.loaded?.();
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
  let firstStepAt = performance.now();
  const life = { at: performance.now() };
  const ending = { seen: false, sampledAt: -Infinity };
  const off = deps.engine.on((event: EngineEvent) => {
    if (event.type !== "state") life.at = performance.now();
    if (event.type === "state" && ENGINE_DOWN.has(event.status.state)) {
      lostEngine ??= event.status;
      run.wake();
    } else if (event.type === "progress") {
      const p = event.progress;
      if (p.kind === "sampling") {
        const barRate = p.itPerSec ?? (p.secPerIt ? 1 / p.secPerIt : null);
        // A new sampling pass starts when the step count drops. With hires fix sd-server samples every image of
        // the batch first, then runs the second pass image by image (tests/fixtures/sd-server/hires-stdout.log).
        if (p.step < lastStep) passes++;
        ending.sampledAt = performance.now();
        ending.seen = false; // sampling again (the next image or hires pass): the result is not near yet
        if (p.step <= 1 || p.step < lastStep) firstStepAt = performance.now();
        lastStep = p.step;
        // With step caching a reused step shows thousands of it/s (recorded cache-stdout.log): the ETA would jump
        // to 0 and back. Then the pass's average since its first step is the truthful rate.
        // Until a tenth of a second has passed the average is unknown: lines read in one chunk would make it a spike.
        const elapsed = (performance.now() - firstStepAt) / 1000;
        const caching = speedNote.mode !== "disabled" && p.step > 1;
        const rate = caching ? (elapsed >= 0.1 ? (p.step - 1) / elapsed : null) : barRate;
        const n = run.task.request.num_images;
        const image = Math.min(n, (passes % n) + 1);
        run.progress = {
          phase: "sampling",
          step: p.step,
          steps: p.steps,
          rate,
          eta: rate ? Math.max(0, (p.steps - p.step) / rate) : null,
          image,
          images: run.task.request.num_images,
        };
        deps.onProgress(run);
      } else if (p.kind === "load") {
        // A few events a second (the bar redraws per tensor); none once decoding: the decode loads its own weights then (a video's VAE).
        const now = performance.now();
        if (!ending.seen && (now - lastLoadEvent >= LOAD_EVENT_MS || p.current === p.total)) {
          lastLoadEvent = now;
          run.progress = { ...run.progress, phase: "loading", step: p.current, steps: p.total, rate: null, eta: null };
          deps.onProgress(run);
        }
      } else if (p.kind === "cache") {
        // One summary per sampling pass (each image of a batch, each hires pass): add them up.
        const before = speedNote.report ?? { method: p.method, skipped: 0, total: 0 };
        const report = { method: p.method, skipped: before.skipped + p.skipped, total: before.total + (p.total || lastStep) };
        speedNote.report = report;
        speedNote.reused = reuseText(report);
        run.task.notes = { ...run.task.notes, speed: speedNote };
      } else {
        if (p.kind === "decoding" || p.kind === "done") ending.seen = true;
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
      run.jobId = await spec.submit(deps.engine);
      // A cancel that came while the job was being submitted had no job id to stop: stop it now,
      // or the engine keeps generating a picture nobody wants (seen under Wine, where submitting is slower).
      if (run.cancelRequested) {
        run.engineRestarted = true;
        await deps.engine.cancel(run.jobId).catch(() => {});
        return { state: "cancelled" };
      }
      job = await waitForJob(run, deps, () => lostEngine, life, ending);
    } catch (err) {
      if (run.cancelRequested) return { state: "cancelled" };
      // A stuck job would hold the engine: stop it (a generating job stops only with a restart).
      if (err instanceof JobStalledError && run.jobId) await deps.engine.cancel(run.jobId).catch(() => {});
      // Stalled, or refused by the engine (a 4xx such as "loaded model does not support img_gen"): its own code and words.
      const own = err instanceof JobStalledError || (err instanceof NamedError && err.status < 500);
      if (own) return { state: "failed", error: { code: (err as NamedError).code, message: (err as NamedError).message } };
      const status = lostEngine ?? deps.engine.status();
      return { state: "failed", error: engineError(status, `the engine failed: ${(err as Error).message}`) };
    }
    if (job.status === "cancelled" || run.cancelRequested) return { state: "cancelled" };
    if (job.status === "failed") {
      const status = deps.engine.status();
      return {
        state: "failed",
        error: status.error
          ? engineError(status, "")
          : { code: job.error?.code ?? "generation_failed", message: job.error?.message ?? "the engine could not make the image" },
      };
    }
    return await spec.finish(job);
  } finally {
    off();
  }
}

/** What the engine's output says about the end of the job: a decoding/done line seen, the last sampling step's time. */
interface Ending {
  seen: boolean;
  sampledAt: number;
}

/**
 * While the engine prints sampling steps it is alive and the result is at least a decode away: polls may
 * space out to this (each costs both processes a fraction of a millisecond of CPU the sampling could use),
 * since the decoding/done line wakes the wait at once.
 */
const SAMPLING_POLL_MS = 250;

async function waitForJob(run: ActiveRun, deps: EngineRunDeps, lost: () => EngineStatus | null, life: { at: number }, ending: Ending): Promise<EngineJob> {
  const min = deps.pollMinMs ?? 2;
  const max = deps.pollMaxMs ?? 50;
  const stallMs = deps.stallMs ?? 5 * 60_000;
  const maxFailures = deps.pollFailures ?? 5;
  let interval = min;
  let failures = 0;
  let lastStatus = "";
  // A wake that comes while a poll is in flight (the engine's done line races the HTTP answer) is kept for the
  // next wait, not lost: otherwise the finished job waited out a whole backed-off interval.
  let woke = false;
  let resolveSleep: (() => void) | null = null;
  run.wake = () => {
    woke = true;
    resolveSleep?.();
  };
  try {
    for (;;) {
      const down = lost();
      if (down && !run.cancelRequested) throw new Error(down.error?.message ?? `the engine went ${down.state} during the task`);
      let job: EngineJob | null = null;
      try {
        job = await deps.engine.poll(run.jobId!);
        failures = 0;
      } catch (err) {
        if (++failures >= maxFailures)
          throw new JobStalledError(`the engine's answers about the job were not usable ${failures} times in a row (${(err as Error).message})`);
      }
      if (job) {
        if (job.status === "completed" || job.status === "failed" || job.status === "cancelled") return job;
        if (job.status !== lastStatus) (lastStatus = job.status), (life.at = performance.now());
      }
      const quiet = performance.now() - life.at;
      if (quiet >= stallMs)
        throw new JobStalledError(`the engine showed no progress for ${Math.round(quiet / 1000)} s (job ${lastStatus || "unanswered"}); the task was stopped`);
      if (!job) interval = Math.max(interval, 100);
      const woken =
        woke ||
        (await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), interval);
          resolveSleep = () => {
            clearTimeout(timer);
            resolve(true);
          };
        }));
      resolveSleep = null;
      woke = false;
      // Once the engine said it decodes or is done, the result is tens of milliseconds away: poll at the
      // shortest interval until it is there, instead of backing off past it.
      const cap = !ending.seen && performance.now() - ending.sampledAt < 1_000 ? Math.max(max, SAMPLING_POLL_MS) : max;
      interval = woken || (ending.seen && job) ? min : Math.min(cap, Math.ceil(interval * 1.5));
    }
  } finally {
    run.wake = () => {};
  }
}
