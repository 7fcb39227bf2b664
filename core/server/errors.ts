/**
 * Named API errors. Every failure leaves the server as
 * `{error:{code,message}}` with a 4xx/5xx status, never as a stack trace.
 * Every error class of the app extends NamedError (common/named-error.ts),
 * declaring its code and status where it is defined; routes throw and the
 * app's one onError handler answers with respondError.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { NamedError } from "../../common/named-error";
import { jsonDepthProblem } from "./json-depth";

export { NamedError };

/** A named error made on the spot, for a failure only one route knows (its code and status given where it is thrown). */
export class ApiError extends NamedError {
  constructor(
    override readonly status: ContentfulStatusCode,
    override readonly code: string,
    message: string,
    details?: unknown,
  ) {
    super(message, details);
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);
export const badRequest = (message: string, details?: unknown) => new ApiError(400, "bad_request", message, details);

/** Turns zod issues into one readable sentence naming each field. */
export function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.join(".");
      if (i.code === "unrecognized_keys") return `unknown key${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `${path ? path + "." : ""}${k}`).join(", ")}`;
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join("; ");
}

export function validationError(error: z.ZodError): ApiError {
  return new ApiError(400, "invalid_request", describeIssues(error.issues), error.issues);
}

/** The media type of a Content-Type header, lower case, without parameters; "" when there is none. */
export function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** The one answer to a failure: a NamedError with its code and status; anything else is a 500. */
export function respondError(c: Context, err: unknown) {
  if (err instanceof NamedError) return c.json(errorBody(err.code, err.message, err.details), err.status as ContentfulStatusCode);
  if (err instanceof SyntaxError) return c.json(errorBody("invalid_json", "the request body is not valid JSON"), 400);
  return c.json(errorBody("internal_error", (err as Error)?.message ?? "unexpected error"), 500);
}

/**
 * The one JSON-body reader: parses and validates, or throws a 400 that says
 * what is wrong (`json_too_deep` past MAX_JSON_DEPTH levels, before parsing). With `optional`, an empty body reads as `{}`.
 */
export async function readJson<T extends z.ZodType>(c: Context, schema: T, options: { optional?: boolean } = {}): Promise<z.infer<T>> {
  const type = mediaType(c.req.header("content-type"));
  // Text is read as JSON (clients that forget the header); files and forms are not: say what to send.
  if (type && type !== "application/json" && !type.endsWith("+json") && type !== "text/plain")
    throw new ApiError(415, "unsupported_media_type", `send JSON (Content-Type: application/json), not ${type}`);
  const text = await c.req.text();
  const deep = jsonDepthProblem(text);
  if (deep) throw new ApiError(400, "json_too_deep", deep);
  let body: unknown = {};
  if (text.trim() || !options.optional) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError(400, "invalid_json", "the request body is not valid JSON");
    }
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
