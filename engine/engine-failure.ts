/** The error the manager throws: it carries the EngineErrorInfo (code, message, hint) to show. */
import type { EngineErrorInfo } from "./types";

/** A failure with the EngineErrorInfo to show. */
export class EngineFailure extends Error {
  override name = "EngineFailure";
  constructor(readonly info: EngineErrorInfo) {
    super(info.hint ? `${info.message} → ${info.hint}` : info.message);
  }
}
