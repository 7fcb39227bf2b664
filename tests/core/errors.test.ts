/**
 * One error model (issue 19): every error class of the server folders extends
 * NamedError (common/named-error.ts), declaring its snake_case code and its
 * HTTP status where it is defined; error class names are unique; routes throw
 * and the app's one onError handler answers `{error:{code,message}}` with the
 * status. The compatibility APIs answer the same errors in their clients' shapes.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Hono } from "hono";
import { NamedError } from "../../common/named-error";
import { PromptSyntaxError } from "../../common/prompt-expand";
import { a1111ErrorBody } from "../../compat/a1111/errors";
import { openaiErrorBody } from "../../compat/openai/errors";
import { RunFailedError } from "../../compat/run";
import { ConfigStore } from "../../core/config/store";
import { EventBus } from "../../core/events/bus";
import { Logger } from "../../core/log";
import { resolvePaths } from "../../core/paths";
import type { AppContext } from "../../core/server/context";
import { ApiError } from "../../core/server/errors";
import { EngineFailure } from "../../engine/manager";
import { createApp } from "../../launcher/server/app";
import { ModelNotFoundError, UnusableLoraError } from "../../models/resolve";
import { pluginRoutes } from "../../plugins/routes/plugins";
import { PluginStore } from "../../plugins/store";
import { promptRoutes } from "../../prompts/routes/prompts";
import { QueueFullError, TaskConflictError, TaskNotFoundError } from "../../queue/errors";
import type { TaskQueue } from "../../queue/queue";
import { taskRoutes } from "../../queue/routes/tasks";

const ROOT = join(import.meta.dir, "..", "..");
/** Folders that are not the server's: the browser app, tools, and what is not ours. */
const NOT_SERVER = new Set(["node_modules", "ui", "tests", "bench", "scripts", "packaging", "docs"]);
const BUILT_IN_ERRORS = new Set(["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError", "DOMException"]);
const BASE_FILE = "common/named-error.ts";

function serverFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name.startsWith(".") || (dir === ROOT && NOT_SERVER.has(name))) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return serverFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

interface ClassDecl {
  name: string;
  base: string;
  file: string;
}

const files = serverFiles().map((path) => ({ file: relative(ROOT, path), text: readFileSync(path, "utf8") }));
/** Code lines only: a doc comment may show a class as an example. */
const codeOf = (text: string) => text.split("\n").filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line)).join("\n");
const classes: ClassDecl[] = files.flatMap(({ file, text }) =>
  [...codeOf(text).matchAll(/\bclass\s+(\w*)\s*(?:<[^>{]*>)?\s*extends\s+([\w.]+)/g)].map((m) => ({ name: m[1] || "(anonymous)", base: m[2]!, file })),
);
const byName = new Map<string, ClassDecl[]>();
for (const c of classes) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);

/** The class's chain up to a class not declared in these folders (a built-in, or a library's). */
function root(c: ClassDecl, seen = new Set<string>()): string {
  if (c.name === "NamedError" && c.file === BASE_FILE) return "NamedError";
  const up = byName.get(c.base)?.[0];
  if (!up || seen.has(up.name)) return c.base;
  seen.add(up.name);
  return root(up, seen);
}

describe("the error classes of the server folders", () => {
  test("the walk finds the server's error classes (it cannot pass on an empty list)", () => {
    expect(files.length).toBeGreaterThan(200);
    expect(classes.filter((c) => root(c) === "NamedError").length).toBeGreaterThan(50);
  });

  test("every error class extends NamedError, not Error", () => {
    const bare = classes.filter((c) => BUILT_IN_ERRORS.has(root(c)) && !(c.name === "NamedError" && c.file === BASE_FILE));
    expect(bare.map((c) => `${c.file}: class ${c.name} extends ${c.base}`)).toEqual([]);
  });

  test("error class names are unique", () => {
    const errors = classes.filter((c) => root(c) === "NamedError");
    const twice = [...new Set(errors.map((c) => c.name))].filter((n) => errors.filter((c) => c.name === n).length > 1);
    expect(twice.map((n) => `${n}: ${errors.filter((c) => c.name === n).map((c) => c.file).join(", ")}`)).toEqual([]);
  });

  test("codes are snake_case where they are declared", () => {
    const codes = files.flatMap(({ file, text }) => [
      ...[...text.matchAll(/readonly code(?::[^=;]+)? = "([^"]*)"/g)].map((m) => ({ file, code: m[1]! })),
      ...[...text.matchAll(/new ApiError\(\d{3}, "([^"]*)"/g)].map((m) => ({ file, code: m[1]! })),
    ]);
    expect(codes.length).toBeGreaterThan(50);
    expect(codes.filter((c) => !/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(c.code)).map((c) => `${c.file}: ${c.code}`)).toEqual([]);
  });

  test("an error knows its code and status where it is defined", () => {
    const conflict = new TaskConflictError("task t1 is running");
    expect([conflict.code, conflict.status, conflict.name]).toEqual(["conflict", 409, "TaskConflictError"]);
    expect(conflict).toBeInstanceOf(NamedError);
    const lora = new UnusableLoraError("lora", "lora", "x", "x is a linked file");
    expect([lora.code, lora.status]).toEqual(["lora_unsupported", 400]);
    const engine = new EngineFailure({ code: "no_candidate", message: "No build.", hint: "Import one." });
    expect([engine.code, engine.status, engine.message]).toEqual(["no_candidate", 409, "No build. → Import one."]);
    expect(engine.details).toEqual(engine.info);
  });
});

describe("routes throw; the app's one handler answers", () => {
  let dir: string;
  let app: ReturnType<typeof createApp>;
  const logged: string[] = [];
  // Only what the named errors need: the routes call these and throw what they throw.
  const queue = {
    submit: () => {
      throw new QueueFullError(1000);
    },
    retry: (id: string) => {
      if (id === "gone") throw new TaskNotFoundError(id);
      throw new TaskConflictError(`task ${id} is still running`);
    },
    cancel: async () => {
      throw new Error("the store is broken");
    },
  } as unknown as TaskQueue;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ed-errors-"));
    const paths = resolvePaths({ home: dir, platform: "linux", ci: true }, { dataDir: dir });
    mkdirSync(join(dir, "plugins"), { recursive: true });
    mkdirSync(join(dir, "wildcards"), { recursive: true });
    writeFileSync(join(dir, "modifiers.txt"), "");
    const log = new (class extends Logger {
      override error(msg: string) {
        logged.push(msg);
      }
    })({ level: "error" });
    const ctx: AppContext = { paths, config: ConfigStore.load(paths.config), bus: new EventBus(), log, heartbeatMs: 50 };
    const store = new PluginStore(join(dir, "plugins"), join(dir, "plugins.json"));
    app = createApp(ctx, {
      api: {
        "/tasks": taskRoutes(ctx, queue),
        "/prompts": promptRoutes(join(dir, "wildcards"), join(dir, "modifiers.txt")),
        "/plugins": pluginRoutes(store),
        "/boom": new Hono().get("/", () => {
          throw new EngineFailure({ code: "crashed", message: "The engine stopped." });
        }),
      },
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const call = async (path: string, init: RequestInit = {}) => {
    const res = await app.request(`http://127.0.0.1:9000/api${path}`, { ...init, headers: { host: "127.0.0.1:9000", "content-type": "application/json", ...(init.headers as Record<string, string>) } });
    return { status: res.status, body: (await res.json()) as { error: { code: string; message: string; details?: unknown } } };
  };

  test("a domain error from a noun: its code, status and details", async () => {
    expect(await call("/tasks/t1/retry", { method: "POST" })).toEqual({ status: 409, body: { error: { code: "conflict", message: "task t1 is still running" } } });
    expect(await call("/tasks/gone/retry", { method: "POST" })).toEqual({ status: 404, body: { error: { code: "not_found", message: "task gone not found" } } });
    const full = await call("/tasks", { method: "POST", body: JSON.stringify({ prompt: "a cat", model: "sd-v1-5" }) });
    expect(full.body.error.message).toBe("1000 tasks are waiting already; wait for some to finish, or cancel some");
    expect(full.status).toBe(429);
    expect(full.body.error.code).toBe("queue_full");
    expect(full.body.error.details).toEqual({ waiting: 1000 });
  });

  test("an error of shared code (common/) the same way", async () => {
    const res = await call("/prompts/expand", { method: "POST", body: JSON.stringify({ prompt: "a {red, green" }) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("prompt_syntax");
    expect(new PromptSyntaxError("x")).toBeInstanceOf(NamedError);
  });

  test("a store's errors without a route mapper", async () => {
    expect((await call("/plugins/nope.plugin.js")).body.error.code).toBe("not_found");
    const bad = await call("/plugins/..%2Fevil.js");
    expect([bad.status, bad.body.error.code]).toEqual([400, "bad_plugin_name"]);
  });

  test("a named 4xx is not logged; a 5xx and an unnamed error are, and answer 503 / 500", async () => {
    logged.length = 0;
    await call("/tasks/t1/retry", { method: "POST" });
    expect(logged).toEqual([]);
    const engine = await call("/boom");
    expect([engine.status, engine.body.error.code]).toEqual([503, "crashed"]);
    const broken = await call("/tasks/t1/cancel", { method: "POST" });
    expect(broken).toEqual({ status: 500, body: { error: { code: "internal_error", message: "the store is broken" } } });
    expect(logged.length).toBe(2);
  });
});

describe("the compatibility APIs word the same errors in their clients' shapes", () => {
  test("A1111: its HTTPException where A1111 raises one, a named 4xx by code, anything else as an exception", () => {
    expect(a1111ErrorBody(new ModelNotFoundError("model", "stable-diffusion", "nope"))).toEqual({
      status: 404,
      body: { error: "HTTPException", detail: 'model: no stable-diffusion model "nope" (put it in the models/stable-diffusion folder)', body: "", errors: expect.any(String) },
    });
    expect(a1111ErrorBody(new QueueFullError(3)).status).toBe(429);
    expect(a1111ErrorBody(new ApiError(413, "too_large", "too big"))).toEqual({ status: 413, body: { error: "too_large", detail: "too big", body: "", errors: "too big" } });
    expect(a1111ErrorBody(new RunFailedError("engine_out_of_memory", "out of memory"))).toEqual({ status: 500, body: { error: "RunFailedError", detail: "", body: "", errors: "out of memory" } });
  });

  test("OpenAI: status and code from the error; its own words for a model and a full queue", () => {
    expect(openaiErrorBody(new ModelNotFoundError("model", "stable-diffusion", "nope")).body.error).toMatchObject({ type: "invalid_request_error", param: "model", code: "model_not_found" });
    expect(openaiErrorBody(new QueueFullError(3))).toMatchObject({ status: 429, body: { error: { type: "rate_limit_error", code: "rate_limit_exceeded" } } });
    expect(openaiErrorBody(new TaskConflictError("busy"))).toEqual({ status: 409, body: { error: { message: "busy", type: "invalid_request_error", param: null, code: "conflict" } } });
    expect(openaiErrorBody(new RunFailedError("engine_crashed", "it crashed"))).toEqual({ status: 500, body: { error: { message: "it crashed", type: "server_error", param: null, code: "engine_crashed" } } });
    expect(openaiErrorBody(new Error("plain")).body.error.code).toBeNull();
  });
});
