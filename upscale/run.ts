/**
 * Upscaling inside the queue: the upscale task kind (POST /api/upscale, a
 * picture in, a new picture out) and the `upscale` post-step of an image task
 * (each finished picture is upscaled and saved beside the original). Finds
 * the model in models/realesrgan and sd-cli through the engine, reports
 * progress as phase "upscaling" (step/steps = tiles of the current pass),
 * and stops sd-cli when the task is cancelled (the AbortSignal).
 *
 * sd-server keeps running meanwhile: its model stays loaded for the next
 * task. An ESRGAN model is small (x4plus: 67 MB) and sd-cli tiles the picture
 * (128 px tiles), so it needs a few hundred MB of VRAM next to the server;
 * stopping the server would cost a full model reload per picture.
 */
import { PictureTooLargeError } from "../pictures/limits";
import { basename } from "node:path";
import type { Engine } from "../engine/types";
import { locateModel, ModelNotFoundError } from "../models/resolve";
import type { SearchPath } from "../models/roots";
import type { UpscaledNote, UpscaleSource } from "../common/image-request";
import type { TaskProgressEvent } from "../queue/events";
import type { TaskError } from "../queue/task";
import { UpscaleCancelledError, UpscaleSourceError, UpscalerFailedError, UpscalerOutOfMemoryError, UpscalerUnavailableError } from "./errors";
import { upscalePicture, type UpscaledPicture } from "./picture";
import type { UpscaleFactor } from "./scale";
import { UpscalerScaleError } from "./scale";

/** A task's progress while upscaling (step/steps count tiles, or passes). */
export type UpscaleProgress = Omit<TaskProgressEvent, "id" | "phase"> & { phase: "upscaling" };

export interface UpscaleRunDeps {
  engine: Engine;
  models: SearchPath;
  signal: AbortSignal;
  onProgress(p: UpscaleProgress): void;
}

/** The model's name as the metadata shows it: the file's stem. */
export const upscalerLabel = (model: string) => basename(model).replace(/\.[^.]+$/, "");

export function upscaledNote(factor: UpscaleFactor, model: string, source: Pick<UpscaleSource, "label" | "width" | "height">): UpscaledNote {
  const name = upscalerLabel(model);
  return {
    factor,
    model: name,
    from: source.label,
    from_size: `${source.width}x${source.height}`,
    note: `Upscaled ×${factor} with ${name} from ${source.label}`,
  };
}

/** Upscales one picture; `image` / `images` place it in the task's progress. */
export async function upscaleForTask(
  deps: UpscaleRunDeps,
  factor: UpscaleFactor,
  modelName: string,
  source: Uint8Array,
  where: { image?: number; images?: number } = {},
): Promise<UpscaledPicture> {
  const model = locateModel(deps.models, "realesrgan", modelName);
  if (!model) throw new ModelNotFoundError("upscale.model", "realesrgan", modelName);
  const cli = (await deps.engine.upscalerPath?.()) ?? null;
  if (!cli) {
    throw new UpscalerUnavailableError(
      "the installed engine has no sd-cli beside sd-server (an older or imported build); " +
        "install a release build (Engine tab) to upscale",
    );
  }
  deps.onProgress({ phase: "upscaling", step: 0, steps: 0, rate: null, eta: null, ...where });
  const job = {
    cli,
    model: model.file,
    factor,
    source,
    signal: deps.signal,
    onProgress: (p: { tile?: number; tiles?: number; rate?: number | null }) => {
      const rate = p.rate ?? null;
      if (p.tiles)
        deps.onProgress({ phase: "upscaling", step: p.tile ?? 0, steps: p.tiles, rate, eta: rate ? (p.tiles - (p.tile ?? 0)) / rate : null, ...where });
    },
  };
  try {
    return await upscalePicture(job);
  } catch (err) {
    // sd-cli runs beside sd-server, which holds its model in GPU memory: when that leaves no room,
    // stop the engine (the next image task starts it again) and try once more.
    const engineUp = ["ready", "busy", "starting"].includes(deps.engine.status().state);
    if (!(err instanceof UpscalerOutOfMemoryError) || !engineUp) throw err;
    await deps.engine.stop();
    return upscalePicture(job);
  }
}

/** The failures an upscale task reports with their own code and message. */
const TASK_FAILURES = [UpscalerUnavailableError, UpscalerScaleError, UpscaleSourceError, ModelNotFoundError, PictureTooLargeError];

/** The task error for an upscale failure (its code is the error's), or null when `err` is not one (a bug: let it surface). */
export function upscaleTaskError(err: unknown): TaskError | "cancelled" | null {
  if (err instanceof UpscaleCancelledError) return "cancelled";
  if (err instanceof UpscalerOutOfMemoryError) return { code: err.code, message: `${err.message}; try ×2, a smaller picture, or a smaller upscaler model` };
  if (err instanceof UpscalerFailedError) return { code: err.code, message: `the upscaler failed: ${err.message}` };
  const known = TASK_FAILURES.find((kind) => err instanceof kind);
  return known ? { code: (err as InstanceType<typeof known>).code, message: (err as Error).message } : null;
}
