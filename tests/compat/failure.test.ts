/**
 * When the engine fails a picture (the stand-in reports GPU out of memory),
 * the waiting compatibility request answers with the task's error in each
 * API's shape (A1111 500 `{error, detail, body, errors}`, OpenAI 500
 * `server_error`), and the task is recorded as failed like any other.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import OpenAI from "openai";
import type { QueueApp } from "../queue/harness";
import { startCompatApp, tempData } from "./harness";

setDefaultTimeout(90_000);
const data = tempData("ed-compat-fail-");
let q: QueueApp;
beforeAll(async () => {
  q = await startCompatApp(data.dir, [], { fault: "oom" });
});
afterAll(async () => {
  await q?.stop();
  data.remove();
});

describe("an engine failure", () => {
  test("A1111: 500 with the task's error; the task is failed in the queue", async () => {
    const res = await q.api("/sdapi/v1/txt2img", { method: "POST", json: { prompt: "too big", steps: 2, width: 64, height: 64 } });
    expect(res.status).toBe(500);
    const body = (await res.json()) as any;
    expect(Object.keys(body).sort()).toEqual(["body", "detail", "error", "errors"]);
    expect(body.error).toBe("RunFailedError");
    expect(String(body.errors).toLowerCase()).toContain("memory");
    const task = ((await (await q.api("/api/tasks?limit=1")).json()) as any).tasks[0];
    expect(task.state).toBe("failed");
  });

  test("OpenAI: the package raises a 500 InternalServerError with the message", async () => {
    const client = new OpenAI({ apiKey: "x", baseURL: new URL("/v1", q.url).href, maxRetries: 0 });
    const err = await client.images.generate({ prompt: "too big", size: "64x64" as any, steps: 2 } as any).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.error.type).toBe("server_error");
    expect(String(err.message).toLowerCase()).toContain("memory");
  });
});
