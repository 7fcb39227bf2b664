/** A failure of the installer that carries the EngineErrorInfo shown to the user. */
import type { DownloadError } from "../../downloads/errors";
import { EngineInfoError } from "../info-error";
import type { EngineErrorCode } from "../types";

export class EngineError extends EngineInfoError {
  override name = "EngineError";
}

export function engineError(code: EngineErrorCode, message: string, hint?: string): EngineError {
  return new EngineError(hint ? { code, message, hint } : { code, message });
}

/** A failed engine download in the engine's words: the file's absence points at the release settings. */
export function asEngineError(err: DownloadError): EngineError {
  if (err.code === "unauthorized" || err.code === "not_available" || err.code === "not_allowed")
    return engineError(
      "download_failed",
      err.message,
      "check engine.release_repo and engine.release_tag, or import a build with `easy-diffusion engine import`",
    );
  return engineError(err.code === "offline" ? "download_failed" : err.code, err.message, err.hint);
}
