/** Speed as a documented extra field of the A1111 and OpenAI routes: passed to the task, refused when unknown. */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import OpenAI from "openai";
import { txt2imgRequestSchema } from "../../compat/a1111/schemas";
import { translateTxt2Img } from "../../compat/a1111/translate";
import type { QueueApp } from "../queue/harness";
import { startCompatApp, tempData } from "./harness";

setDefaultTimeout(90_000);
const data = tempData("ed-compat-speed-");
let q: QueueApp;
beforeAll(async () => {
  q = await startCompatApp(data.dir);
});
afterAll(async () => {
  await q?.stop();
  data.remove();
});

const lastTask = async () => {
  const { id } = ((await (await q.api("/api/tasks?limit=1")).json()) as { tasks: { id: string }[] }).tasks[0]!;
  return (await (await q.api(`/api/tasks/${id}`)).json()) as { request: { speed?: string }; notes?: { speed?: { mode: string; reused?: string } } };
};

describe("A1111 /sdapi/v1", () => {
  test("translate (pure): speed passes through; absent, the task gets the Settings default later", () => {
    const ctx = { checkpoints: ["sd15.safetensors"], current: "sd15.safetensors", vaes: [] };
    expect(translateTxt2Img(txt2imgRequestSchema.parse({ prompt: "p", speed: "fast" }), ctx).request.speed).toBe("fast");
    expect("speed" in translateTxt2Img(txt2imgRequestSchema.parse({ prompt: "p" }), ctx).request).toBe(false);
  });

  test("txt2img with speed: balanced runs spectrum and the info's task says what was reused", async () => {
    const res = await q.api("/sdapi/v1/txt2img", { method: "POST", json: { prompt: "a fox", steps: 20, width: 64, height: 64, speed: "balanced" } });
    expect(res.status).toBe(200);
    const task = await lastTask();
    expect(task.request.speed).toBe("balanced");
    expect(task.notes?.speed).toMatchObject({ mode: "spectrum", reused: "9 of 20 steps reused, ×1.8" });
  });

  test("an unknown speed is A1111's 422 naming the field", async () => {
    const res = await q.api("/sdapi/v1/txt2img", { method: "POST", json: { prompt: "a fox", speed: "warp" } });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain("speed");
  });
});

describe("OpenAI /v1 (the openai package, extra field in the body)", () => {
  test("images.generate with speed: fast → ucache on the task", async () => {
    const client = new OpenAI({ apiKey: "not-needed", baseURL: new URL("/v1", q.url).href, maxRetries: 0 });
    const res = await client.images.generate({ prompt: "a watercolor fox", size: "64x64", model: "sd-test", steps: 12, speed: "fast" } as never);
    expect(res.data).toHaveLength(1);
    const task = await lastTask();
    expect(task.request.speed).toBe("fast");
    expect(task.notes?.speed?.mode).toBe("ucache");
  });

  test("an unknown speed is a 400 in OpenAI's shape with param speed", async () => {
    const res = await q.api("/v1/images/generations", { method: "POST", json: { prompt: "x", speed: "warp" } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { param: string | null } };
    expect(body.error.param).toBe("speed");
  });
});
