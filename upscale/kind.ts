/**
 * Upscaling as the queue sees it (queue/task-kinds.ts), handed to the queue
 * service by the composition root:
 * - the upscale task kind: a request with `upscale_of` (made by POST
 *   /api/upscale or compat's Extras) runs no generation; it upscales that one
 *   picture with `upscale` {factor, model} and saves the result as a new
 *   picture. Its engine key is its own: sd-cli runs beside sd-server, so an
 *   upscale task never makes the engine restart;
 * - the `upscale` picture step of any other task: after each saved picture,
 *   its upscaled copy is saved too; a failure fails the task with the
 *   upscaler's code, the originals kept.
 */
import { basename } from "node:path";
import { locateModel, ModelNotFoundError } from "../models/resolve";
import type { SearchPath } from "../models/roots";
import type { ResolvedRequest } from "../common/image-request";
import type { RunOutcome } from "../queue/runner";
import type { PictureStep, PictureStepRun, TaskKind, TaskRun } from "../queue/task-kinds";
import { upscaledRequest } from "./metadata";
import { upscaleTaskError } from "./run";
import { loadUpscaleSource } from "./source";
import { runUpscaleTask, upscaleAfterImage, type UpscaleTaskDeps } from "./task";

/** The engine key of upscale tasks: they need no engine model set. */
export const UPSCALE_KEY = "upscale";

function checkModel(request: ResolvedRequest, models: SearchPath): void {
  const model = request.upscale?.model ?? "";
  if (!locateModel(models, "realesrgan", model)) throw new ModelNotFoundError("upscale.model", "realesrgan", model);
}

function depsOf(run: TaskRun): UpscaleTaskDeps {
  return {
    engine: run.engine,
    models: run.models,
    signal: run.signal,
    onProgress: (p) => run.progress(p),
    save: (png, index, note) => run.savePicture(index, png, upscaledRequest(run.task, index, note)),
    loadSource: (source) => loadUpscaleSource(source, run.readPicture),
  };
}

export const upscaleKind: TaskKind = {
  name: "upscale",
  claims: (request) => !!request.upscale_of,
  engineKey: (request, at) => {
    checkModel(request, at.models);
    return UPSCALE_KEY;
  },
  run: (run) => runUpscaleTask(run.task, depsOf(run)),
};

export const upscaleStep: PictureStep = {
  name: "upscale",
  // An upscale task's own `upscale` says how to upscale its source: not a step after it.
  wanted: (request) => !!request.upscale && !request.upscale_of,
  validate: (request, at) => checkModel(request, at.models),
  begin: (run) => new UpscaleAfterPictures(run),
};

/** The post-step for one running task: nothing more once it failed or the task was cancelled. */
class UpscaleAfterPictures implements PictureStepRun {
  #failure: RunOutcome | null = null;

  constructor(readonly run: TaskRun) {}

  /** `png`: the engine's picture (whatever the output format), `saved`: its record. */
  async afterPicture(index: number, png: Uint8Array, saved: { id: string; path?: string; width: number; height: number }): Promise<void> {
    if (this.#failure || this.run.active.cancelRequested) return;
    try {
      const source = { bytes: png, label: saved.path ? basename(saved.path) : saved.id, width: saved.width, height: saved.height };
      await upscaleAfterImage(this.run.task, index, source, depsOf(this.run));
    } catch (err) {
      const mapped = upscaleTaskError(err);
      if (mapped === null) throw err;
      this.#failure = mapped === "cancelled" ? { state: "cancelled" } : { state: "failed", error: mapped };
    }
  }

  outcome(outcome: RunOutcome): RunOutcome {
    return this.#failure && outcome.state === "succeeded" ? this.#failure : outcome;
  }
}
