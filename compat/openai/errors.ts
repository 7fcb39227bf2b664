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
import { NamedError } from "../../core/server/errors";

export class OpenAIError extends NamedError {
  override name = "OpenAIError";
  override readonly code: string;
  constructor(
    override readonly status: ContentfulStatusCode,
    message: string,
    readonly param: string | null = null,
    /** OpenAI's `error.code`: null where OpenAI sends none. */
    readonly openaiCode: string | null = null,
    readonly type = status >= 500 ? "server_error" : "invalid_request_error",
  ) {
    super(message);
    this.code = openaiCode ?? (status >= 500 ? "internal_error" : "invalid_request");
  }
}

/** Codes OpenAI words its own way: an unknown model (404, param `model`), a full queue (its rate limit, 429). */
const OPENAI_WORDS: Record<string, (message: string) => OpenAIError> = {
  model_not_found: (m) => new OpenAIError(404, m, "model", "model_not_found"),
  lora_unsupported: (m) => new OpenAIError(404, m, "model", "model_not_found"),
  queue_full: (m) => new OpenAIError(429, m, null, "rate_limit_exceeded", "rate_limit_error"),
};

/** Any error in OpenAI's shape, from the app's one error model: a named error keeps its status and code. */
export function openaiErrorBody(err: unknown): {
  status: ContentfulStatusCode;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
} {
  const e =
    err instanceof OpenAIError
      ? err
      : err instanceof NamedError
        ? (OPENAI_WORDS[err.code]?.(err.message) ?? new OpenAIError(err.status as ContentfulStatusCode, err.message, null, err.code))
        : new OpenAIError(500, err instanceof Error ? err.message : String(err));
  return { status: e.status, body: { error: { message: e.message, type: e.type, param: e.param, code: e.openaiCode } } };
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
