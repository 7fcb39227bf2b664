/** The error the manager throws: it carries the EngineErrorInfo (code, message, hint) to show. */
import { EngineInfoError } from "./info-error";

/** A failure with the EngineErrorInfo to show. */
export class EngineFailure extends EngineInfoError {
  override name = "EngineFailure";
}
