/**
 * A1111's error answers. Every failure under /sdapi/v1 leaves as
 * `{error, detail, body, errors}` (api.py handle_exception) with A1111's
 * status codes: HTTPException's own (404 "Sampler not found", …), 422 for a
 * body that does not validate (detail = FastAPI's `[{loc, msg, type}]`),
 * 400 where A1111 answers 500 for bad input (an unknown checkpoint in
 * options, a picture that is not one: bad input is a 4xx in this app), 500
 * for anything else. Each A1111 route file is built on `a1111App()` so
 * its errors get this shape, not the app's `{error:{code,message}}`.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { ApiError, mediaType, NamedError } from "../../core/server/errors";
import { jsonDepthProblem } from "../../core/server/json-depth";
import { coerceFields } from "./coerce";

/** FastAPI's HTTPException: a status and a detail sentence. */
export class A1111HttpError extends NamedError {
  override name = "HTTPException";
  override readonly code = "http_exception";
  constructor(
    override readonly status: ContentfulStatusCode,
    readonly detail: string,
  ) {
    super(`${status}: ${detail}`);
  }
}

/** What A1111 raises as a plain RuntimeError for bad input (an unknown checkpoint in options). */
export class A1111RuntimeError extends NamedError {
  override readonly code = "runtime_error";
  override readonly status = 400;
  override name = "RuntimeError";
}

/** A request body that does not validate (FastAPI's RequestValidationError, 422). */
export class A1111ValidationError extends NamedError {
  override name = "RequestValidationError";
  override readonly code = "invalid_request";
  override readonly status = 422;
  constructor(
    readonly detail: { loc: (string | number)[]; msg: string; type: string }[],
    readonly body: unknown,
  ) {
    super(detail.map((d) => `${d.loc.join(".")}: ${d.msg}`).join("; "));
  }
}

/** A1111 field names for our request fields, so a 422 points at what the client sent. */
const FIELD_NAMES: Record<string, (string | number)[]> = {
  num_images: ["batch_size"],
  strength: ["denoising_strength"],
  init_image: ["init_images", 0],
  model: ["override_settings", "sd_model_checkpoint"],
  sampler: ["sampler_name"],
  clip_skip: ["override_settings", "CLIP_stop_at_last_layers"],
  vae: ["override_settings", "sd_vae"],
  hires: ["hr_scale"],
};

/** zod issues → FastAPI's `[{loc, msg, type}]`; `ours` maps our request's field names back to A1111's. */
export function issuesToDetail(issues: z.core.$ZodIssue[], ours = false) {
  return issues.map((i) => {
    const path = i.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    const mapped = ours && typeof path[0] === "string" && FIELD_NAMES[path[0]] ? [...FIELD_NAMES[path[0]]!, ...path.slice(1)] : path;
    return { loc: ["body", ...mapped], msg: i.message, type: i.code };
  });
}

/** Codes A1111 answers as an HTTPException with its own status (its model lookup raises 404). */
const A1111_STATUS: Record<string, ContentfulStatusCode> = { model_not_found: 404, lora_unsupported: 404, queue_full: 429 };

/**
 * Any error in A1111's shape, from the app's one error model: A1111's own
 * exceptions as A1111 words them; a code A1111 answers with an HTTPException
 * of its own status (A1111_STATUS), so; any other named 4xx as
 * `{error: code, detail: message}` with its status; the rest as A1111's
 * handler words an exception: 500 `{error: its name, errors: its message}`.
 */
export function a1111ErrorBody(err: unknown): { status: ContentfulStatusCode; body: { error: string; detail: unknown; body: unknown; errors: unknown } } {
  if (err instanceof A1111HttpError) return { status: err.status, body: { error: err.name, detail: err.detail, body: "", errors: err.message } };
  if (err instanceof A1111ValidationError) return { status: err.status, body: { error: err.name, detail: err.detail, body: err.body, errors: err.message } };
  if (err instanceof A1111RuntimeError) return { status: err.status, body: { error: err.name, detail: "", body: "", errors: err.message } };
  if (err instanceof NamedError && A1111_STATUS[err.code]) return a1111ErrorBody(new A1111HttpError(A1111_STATUS[err.code]!, err.message));
  if (err instanceof NamedError && err.status < 500)
    return { status: err.status as ContentfulStatusCode, body: { error: err.code, detail: err.message, body: "", errors: err.message } };
  const e = err instanceof Error ? err : new Error(String(err));
  return { status: 500, body: { error: e.name, detail: "", body: "", errors: e.message } };
}

export function respondA1111Error(err: unknown, c: Context) {
  const { status, body } = a1111ErrorBody(err);
  return c.json(body, status);
}

/** A Hono sub-app whose errors leave in A1111's shape. */
export function a1111App() {
  return new Hono().onError(respondA1111Error);
}

/**
 * Python clients (webuiapi) send every optional field, None as null; to
 * A1111 (pydantic Optional fields) that means "not given", so it does here.
 */
export function withoutNulls(body: unknown): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
}

/** Reads and validates a JSON body (coerced as pydantic v1 does, coerce.ts); 422 with FastAPI's detail list when it does not validate. */
export async function readA1111Json<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const type = mediaType(c.req.header("content-type"));
  if (type && type !== "application/json" && !type.endsWith("+json") && type !== "text/plain")
    throw new A1111HttpError(415, `send JSON (Content-Type: application/json), not ${type}`);
  const text = await c.req.text();
  const deep = jsonDepthProblem(text);
  if (deep) throw new ApiError(400, "json_too_deep", deep);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new A1111ValidationError([{ loc: ["body"], msg: "JSON decode error", type: "json_invalid" }], text.slice(0, 200));
  }
  const parsed = schema.safeParse(coerceFields(schema, withoutNulls(body)));
  if (!parsed.success) throw new A1111ValidationError(issuesToDetail(parsed.error.issues), "");
  return parsed.data;
}
