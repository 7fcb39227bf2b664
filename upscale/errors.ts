/** The upscaler's failures, each with the task error code it becomes. */
import { NamedError } from "../core/server/errors";

/** The installed engine has no `sd-cli` beside `sd-server` (e.g. an older import): code `upscaler_unavailable`. */
export class UpscalerUnavailableError extends NamedError {
  override name = "UpscalerUnavailableError";
  override readonly code = "upscaler_unavailable";
  override readonly status = 503;
}

/** sd-cli ran but did not upscale (bad model, bad input, crash): code `upscaler_failed`, with its `[ERROR]` lines. */
export class UpscalerFailedError extends NamedError {
  override name = "UpscalerFailedError";
  override readonly code: string = "upscaler_failed";
  override readonly status: number = 500;
}

/** The picture cannot be handed to sd-cli (a format it may not read): code `upscale_source_unsupported`. */
export class UpscaleSourceError extends NamedError {
  override name = "UpscaleSourceError";
  override readonly code = "upscale_source_unsupported";
  override readonly status = 400;
}

/** The run was cancelled (its process killed). */
export class UpscaleCancelledError extends NamedError {
  override name = "UpscaleCancelledError";
  override readonly code = "cancelled";
  override readonly status = 500;
}

/** sd-cli had no GPU memory for the upscale (its compute buffer): code `upscaler_out_of_memory` when stopping the engine did not help. */
export class UpscalerOutOfMemoryError extends UpscalerFailedError {
  override name = "UpscalerOutOfMemoryError";
  override readonly code = "upscaler_out_of_memory";
  override readonly status = 503;
}
