/**
 * The OpenAI images API through the official `openai` npm package, unchanged,
 * against the running app (queue + stand-in sd-server): generations (base64
 * and URL), edits with several images and a transparent-area mask, the
 * model list, and errors in OpenAI's shape (the package raises them typed).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { decode, encode } from "fast-png";
import OpenAI, { toFile } from "openai";
import { openaiMaskToEngine } from "../../compat/openai/edits";
import { png } from "../queue/images";
import type { QueueApp } from "../queue/harness";
import { startCompatApp, tempData } from "./harness";

setDefaultTimeout(90_000);
const data = tempData("ed-openai-");
let q: QueueApp;
let client: OpenAI;
beforeAll(async () => {
  q = await startCompatApp(data.dir);
  client = new OpenAI({ apiKey: "not-needed", baseURL: new URL("/v1", q.url).href, maxRetries: 0 });
});
afterAll(async () => {
  await q?.stop();
  data.remove();
});

const lastTask = async () => {
  const { id } = ((await (await q.api("/api/tasks?limit=1")).json()) as any).tasks[0];
  return (await (await q.api(`/api/tasks/${id}?images=1`)).json()) as any;
};

describe("openai package", () => {
  test("images.generate → base64 PNGs, through our queue, with extra fields", async () => {
    const res = await client.images.generate({ prompt: "a watercolor fox", n: 2, size: "64x64" as any, model: "sd-test", negative_prompt: "blurry", seed: 11, steps: 2 } as any);
    expect(res.data).toHaveLength(2);
    for (const d of res.data!) expect(Buffer.from(d.b64_json!, "base64").subarray(1, 4).toString()).toBe("PNG");
    expect(res.output_format).toBe("png");
    expect(res.size as string).toBe("64x64");
    const task = await lastTask();
    expect(task.request).toMatchObject({ prompt: "a watercolor fox", negative_prompt: "blurry", seed: 11, steps: 2, num_images: 2, model: "sd-test.safetensors" });
    expect(task.state).toBe("succeeded");
  });

  test("response_format url gives a URL of the saved picture; output_format jpeg; an unknown model name uses the current one", async () => {
    const res = await client.images.generate({ prompt: "a harbour", size: "64x64" as any, model: "dall-e-3", response_format: "url", output_format: "jpeg", quality: "low" } as any);
    const url = res.data![0]!.url!;
    expect(url).toStartWith(q.url.replace(/\/$/, ""));
    const img = await fetch(url);
    expect(img.headers.get("content-type")).toBe("image/jpeg");
    expect((await lastTask()).request).toMatchObject({ steps: 12, output_format: "jpeg" });
  });

  test("images.edit with two images and an OpenAI mask → init image, reference image, engine mask", async () => {
    const rgba = new Uint8Array(64 * 64 * 4).map((_, i) => (i % 4 === 3 ? (i < 64 * 32 * 4 ? 0 : 255) : 255));
    const mask = encode({ width: 64, height: 64, data: rgba, channels: 4, depth: 8 });
    const res = await client.images.edit({
      image: [await toFile(png(64, 64), "a.png", { type: "image/png" }), await toFile(png(64, 64), "b.png", { type: "image/png" })],
      mask: await toFile(mask, "mask.png", { type: "image/png" }),
      prompt: "add a red scarf",
      size: "64x64" as any,
      steps: 2,
      strength: 0.5,
    } as any);
    expect(res.data).toHaveLength(1);
    const task = await lastTask();
    expect(task.request.strength).toBe(0.5);
    expect(task.request.init_image).toStartWith("data:image/png;base64,");
    expect(task.request.ref_images).toHaveLength(1);
    const engineMask = decode(Buffer.from(task.request.mask.split(",")[1], "base64"));
    expect(engineMask.channels).toBe(1);
    expect(engineMask.data[0]).toBe(255); // transparent top half → repaint (white)
    expect(engineMask.data[64 * 63]).toBe(0); // opaque bottom half → keep
  });

  test("models.list lists the checkpoints", async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids.sort()).toEqual(["other.safetensors", "sd-test.safetensors"]);
  });

  test("images.createVariation (what older clients call): n variations of the picture, with the prompt stored in it, size auto = the picture's", async () => {
    const picture = png(64, 64, { parameters: "a red lighthouse\nNegative prompt: fog\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 3, Size: 64x64" });
    const res = await client.images.createVariation({ image: await toFile(picture, "in.png", { type: "image/png" }), n: 2, model: "dall-e-2", steps: 2 } as any);
    expect(res.data).toHaveLength(2);
    for (const d of res.data!) expect(Buffer.from(d.b64_json!, "base64").subarray(1, 4).toString()).toBe("PNG");
    const task = await lastTask();
    expect(task.request).toMatchObject({ prompt: "a red lighthouse", negative_prompt: "fog", width: 64, height: 64, num_images: 2, strength: 0.7 });
    expect(task.request.init_image).toStartWith("data:image/png;base64,");
    const url = await client.images.createVariation({ image: await toFile(png(64, 64), "b.png", { type: "image/png" }), size: "64x64" as any, response_format: "url", steps: 1 } as any);
    expect(url.data![0]!.url).toStartWith(q.url.replace(/\/$/, ""));
    const bad = await client.images.createVariation({ image: await toFile(new TextEncoder().encode("not a picture"), "x.png", { type: "image/png" }) }).catch((e) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(bad.error).toMatchObject({ type: "invalid_request_error", param: "image" });
  });

  test("models.retrieve: one model by the id models.list gives; an unknown id is OpenAI's 404 model_not_found", async () => {
    const model = await client.models.retrieve("sd-test.safetensors");
    expect(model).toMatchObject({ id: "sd-test.safetensors", object: "model", owned_by: "easy-diffusion" });
    expect(model.created).toBeGreaterThan(0);
    const err = await client.models.retrieve("dall-e-3").catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.error).toMatchObject({ type: "invalid_request_error", param: "model", code: "model_not_found" });
  });

  test("errors come back in OpenAI's shape and the package raises them typed", async () => {
    const err = await client.images.generate({ prompt: "x", size: "100x100" as any }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ type: "invalid_request_error", param: "size" });
    expect(err.message).toContain("multiple of 64");
    const bad = await client.images.generate({ prompt: "", size: "64x64" as any }).catch((e) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(bad.error.param).toBe("prompt");
    const res = await q.api("/v1/nothing");
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.type).toBe("invalid_request_error");
  });
});

describe("mask conversion", () => {
  test("an opaque-only PNG (no alpha) is passed through; alpha becomes white where transparent", () => {
    const rgb = png(8, 8);
    expect(openaiMaskToEngine(rgb)).toBe(rgb);
  });
});
