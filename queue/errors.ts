/** The queue's errors, each with its code and HTTP status (core/server/errors.ts). */
import { NamedError } from "../core/server/errors";

/** 409 `conflict`: the task's state does not allow this (cancel a finished task, retry or remove one not finished). */
export class TaskConflictError extends NamedError {
  override name = "TaskConflictError";
  override readonly code = "conflict";
  override readonly status = 409;
}

/** 429 `queue_full`, details `{waiting}`. */
export class QueueFullError extends NamedError {
  override name = "QueueFullError";
  override readonly code = "queue_full";
  override readonly status = 429;
  constructor(readonly waiting: number) {
    super(`${waiting} tasks are waiting already; wait for some to finish, or cancel some`, { waiting });
  }
}

export class TaskNotFoundError extends NamedError {
  override name = "TaskNotFoundError";
  override readonly code = "not_found";
  override readonly status = 404;
  constructor(readonly id: string) {
    super(`task ${id} not found`);
  }
}
