/** The workers' errors, each with its code and status (common/named-error.ts). */
import { NamedError } from "../core/server/errors";

/** The login link, address or token given for a worker is not one. */
export class WorkerLinkError extends NamedError {
  override name = "WorkerLinkError";
  override readonly code = "bad_worker_link";
  override readonly status = 400;
}

export class WorkerNotFoundError extends NamedError {
  override name = "WorkerNotFoundError";
  override readonly code = "not_found";
  override readonly status = 404;
  constructor(id: string) {
    super(`no worker ${id.slice(0, 100)}`);
  }
}

/**
 * The worker answered, but no: a wrong token (401), not allowed (403), or it failed (5xx). Its reason is
 * shown in Settings → Workers and the worker is skipped until it answers again.
 */
export class WorkerRefusedError extends NamedError {
  override name = "WorkerRefusedError";
  override readonly code = "worker_refused";
  override readonly status = 502;
  constructor(
    message: string,
    /** The worker's HTTP status. */
    readonly httpStatus: number,
    /** The worker's own error code, when it gave one. */
    readonly workerCode?: string,
  ) {
    super(message);
  }
}

/** The worker could not be reached (no answer, connection lost, an answer that is not its API). */
export class WorkerUnreachableError extends NamedError {
  override name = "WorkerUnreachableError";
  override readonly code = "worker_unreachable";
  override readonly status = 502;
}

/** The worker cannot run this task (it lacks a model file and may not download it, or refused the request): another one will. */
export class WorkerDeclinedError extends NamedError {
  override name = "WorkerDeclinedError";
  override readonly code = "worker_declined";
  override readonly status = 409;
}
