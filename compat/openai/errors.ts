/**
 * OpenAI's error answers: `{error:{message, type, param, code}}` with 400 for
 * a bad request, 404 for an unknown model, 500 when generating failed. Each
 * OpenAI route file is built on `openaiApp()` so its errors get this shape.
 */
import { jsonDepthProblem } from "../../core/server/json-depth";
import type { Context } from "hono";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { ApiError } from "../../core/server/errors";
import { ModelNotFoundError } from "../model-files";
import { QueueFullError } from "../../queue/queue";
import { RunFailedError } from "../run";

export class OpenAIError extends Error {
  override name = "OpenAIError";
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type = status >= 500 ? "server_error" : "invalid_request_error",
  ) {
    super(message);
  }
}

export function openaiErrorBody(err: unknown): { status: ContentfulStatusCode; body: { error: { message: string; type: string; param: string | null; code: string | null } } } {
  const e =
    err instanceof OpenAIError
      ? err
      : err instanceof ModelNotFoundError
        ? new OpenAIError(404, err.message, "model", "model_not_found")
        : err instanceof QueueFullError
          ? new OpenAIError(429, err.message, null, "rate_limit_exceeded", "rate_limit_error")
          : err instanceof RunFailedError
            ? new OpenAIError(500, err.message, null, err.code)
            : err instanceof ApiError
              ? new OpenAIError(err.status, err.message, null, err.code)
              : new OpenAIError(500, err instanceof Error ? err.message : String(err));
  return { status: e.status, body: { error: { message: e.message, type: e.type, param: e.param, code: e.code } } };
}

/** Reads and validates a JSON body; 400 in OpenAI's shape naming the first bad field. */
export async function readOpenAIJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const text = await c.req.text();
  const deep = jsonDepthProblem(text);
  if (deep) throw new OpenAIError(400, deep, null, "json_too_deep");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OpenAIError(400, "the request body is not valid JSON");
  }
  return parseFields(schema, body);
}

/** Validates fields (JSON or form values); 400 in OpenAI's shape naming the first bad field. */
export function parseFields<T extends z.ZodType>(schema: T, fields: unknown): z.output<T> {
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OpenAIError(400, issue.message, issue.path.length ? String(issue.path[0]) : null);
  }
  return parsed.data;
}

export function openaiApp() {
  return new Hono().onError((err, c: Context) => {
    const { status, body } = openaiErrorBody(err);
    return c.json(body, status);
  });
}
