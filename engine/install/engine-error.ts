/** A failure of the installer that carries the EngineErrorInfo shown to the user. */
import type { EngineErrorCode, EngineErrorInfo } from "../types";

export class EngineError extends Error {
  override name = "EngineError";
  constructor(readonly info: EngineErrorInfo) {
    super(info.hint ? `${info.message} → ${info.hint}` : info.message);
  }
  get code(): EngineErrorCode {
    return this.info.code;
  }
}

export function engineError(code: EngineErrorCode, message: string, hint?: string): EngineError {
  return new EngineError(hint ? { code, message, hint } : { code, message });
}
