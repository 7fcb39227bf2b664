/** The upscaler's failures, each with the task error code it becomes. */

/** The installed engine has no `sd-cli` beside `sd-server` (e.g. an older import): code `upscaler_unavailable`. */
export class UpscalerUnavailableError extends Error {
  override name = "UpscalerUnavailableError";
}

/** sd-cli ran but did not upscale (bad model, bad input, crash): code `upscaler_failed`, with its `[ERROR]` lines. */
export class UpscalerFailedError extends Error {
  override name = "UpscalerFailedError";
}

/** The picture cannot be handed to sd-cli (a format it may not read): code `upscale_source_unsupported`. */
export class UpscaleSourceError extends Error {
  override name = "UpscaleSourceError";
}

/** The run was cancelled (its process killed). */
export class UpscaleCancelledError extends Error {
  override name = "UpscaleCancelledError";
}

/** sd-cli had no GPU memory for the upscale (its compute buffer): code `upscaler_out_of_memory` when stopping the engine did not help. */
export class UpscalerOutOfMemoryError extends UpscalerFailedError {
  override name = "UpscalerOutOfMemoryError";
}
