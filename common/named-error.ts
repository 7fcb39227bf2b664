/**
 * The one base of the app's errors. Each error class says where it is
 * defined what it means to a client: a snake_case `code` (one code per
 * meaning, the `error.code` of `{error:{code,message}}`) and the HTTP
 * `status` it answers with. Routes throw; the app's one error handler
 * (core/server/errors.ts respondError) answers. An error that never reaches
 * HTTP keeps the defaults (500 `internal_error`).
 *
 *   export class QueueFullError extends NamedError {
 *     override readonly code = "queue_full";
 *     override readonly status = 429;
 *   }
 *
 * Here in common/ (browser-safe, no imports) so shared code such as prompt
 * expansion can name its errors too; the server imports it through
 * core/server/errors.ts.
 */
export class NamedError extends Error {
  /** snake_case, what a client tests. */
  readonly code: string = "internal_error";
  /** The HTTP status it answers with (4xx: the caller's to fix; 5xx: ours or upstream's). */
  readonly status: number = 500;

  constructor(
    message: string,
    /** Extra facts a client may read (`error.details`). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
