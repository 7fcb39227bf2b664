/**
 * A1111's Extras over our upscaler: POST /sdapi/v1/extra-single-image with an
 * ESRGAN model named as /sdapi/v1/upscalers lists it → the picture upscaled by
 * sd-cli (stand-in), as base64, and a task in our queue; unknown upscaler 404,
 * a factor other than 2/4 400.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { pngSize } from "../../pictures/metadata/png";
import type { QueueApp } from "../queue/harness";
import { startCompatApp, tempData } from "../compat/harness";
import { gradientPng, writeEsrgan } from "./fixtures";

setDefaultTimeout(60_000);
const data = tempData("ed-extras-");
let q: QueueApp;
beforeAll(async () => {
  writeEsrgan(join(data.dir, "models", "realesrgan", "RealESRGAN_x4plus.safetensors"), 4);
  q = await startCompatApp(data.dir);
});
afterAll(async () => {
  await q.stop();
  data.remove();
});

const image = Buffer.from(gradientPng(64, 48)).toString("base64");

test("extra-single-image: the upscaler from /upscalers, ×4 → a picture 4× the size", async () => {
  const upscalers = (await (await q.api("/sdapi/v1/upscalers")).json()) as { name: string }[];
  expect(upscalers.map((u) => u.name)).toContain("RealESRGAN_x4plus");
  const res = await q.api("/sdapi/v1/extra-single-image", { method: "POST", json: { image, upscaling_resize: 4, upscaler_1: "RealESRGAN_x4plus" } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { image: string; html_info: string };
  expect(pngSize(Buffer.from(body.image, "base64"))).toEqual({ width: 256, height: 192 });
  expect(body.html_info).toContain("RealESRGAN_x4plus");
  const tasks = (await (await q.api("/api/tasks")).json()) as { tasks: { state: string; request: { upscale_of?: unknown } }[] };
  expect(tasks.tasks.filter((t) => t.request.upscale_of && t.state === "succeeded")).toHaveLength(1);
});

test("extra-single-image: an unknown upscaler is a 404, a factor of 3 a 400", async () => {
  expect((await q.api("/sdapi/v1/extra-single-image", { method: "POST", json: { image, upscaling_resize: 2, upscaler_1: "Nope" } })).status).toBe(404);
  expect((await q.api("/sdapi/v1/extra-single-image", { method: "POST", json: { image, upscaling_resize: 3, upscaler_1: "RealESRGAN_x4plus" } })).status).toBe(400);
});
