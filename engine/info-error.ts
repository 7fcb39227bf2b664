/**
 * The base of the engine's failures that carry the EngineErrorInfo shown to
 * the user (installer, supervisor, build source, manager): the code is the
 * info's, the status what that code means to a caller, the info goes along
 * as `error.details`, the message is the info's with its hint.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { NamedError } from "../core/server/errors";
import type { EngineErrorCode, EngineErrorInfo } from "./types";

/** 409 when there is no build to run (install or import one), 404 for a missing model file, 503 for the rest: the engine cannot serve now. */
export function engineErrorStatus(code: EngineErrorCode): ContentfulStatusCode {
  return code === "no_candidate" ? 409 : code === "model_not_found" ? 404 : 503;
}

export class EngineInfoError extends NamedError {
  override readonly code: EngineErrorCode;
  override readonly status: ContentfulStatusCode;
  constructor(
    readonly info: EngineErrorInfo,
    /** When the caller, not the engine, is at fault (an import of a path that holds no working build: 400). */
    status?: ContentfulStatusCode,
  ) {
    super(info.hint ? `${info.message} → ${info.hint}` : info.message, info);
    this.code = info.code;
    this.status = status ?? engineErrorStatus(info.code);
  }
}
