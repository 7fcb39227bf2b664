/**
 * The queue end to end: HTTP API → queue → the real engine manager (supervisor
 * + stand-in sd-server) → images on disk with metadata → events on the bus.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import decodeWebp from "@jsquash/webp/decode.js";
import { readImageMetadata } from "../../pictures/metadata/read";
import { readPngText } from "../../pictures/metadata/png";
import { dataUrl, png } from "./images";
import { managerFor, standin, startQueueApp, taskState, tempData, until, waitState, type QueueApp } from "./harness";

setDefaultTimeout(90_000);
const data = tempData();
afterAll(() => data.remove());

const request = { prompt: "a lighthouse at dusk <lora:detail:0.8>", negative_prompt: "blurry", model: "sd-test.safetensors", seed: 1234, steps: 4, width: 64, height: 64, sampler: "euler_a" };

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(png|jpg|webp|txt)$/.test(f) && !f.startsWith("x/"));
}

describe("queue end to end", () => {
  let q: QueueApp;
  afterAll(async () => q?.stop());

  test("submit → progress in order → image on disk whose metadata parses back to the request", async () => {
    q = await startQueueApp(data.dir, standin(data.dir));
    const res = await q.api("/api/tasks", { method: "POST", json: { ...request, num_images: 2 } });
    expect(res.status).toBe(202);
    const { id, seed } = (await res.json()) as { id: string; seed: number };
    expect(seed).toBe(1234);
    const done = await waitState(q, id, ["succeeded", "failed"]);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe("succeeded");
    expect(done.progress).toMatchObject({ step: 4, steps: 4 });
    expect(done.images.map((i) => i.seed)).toEqual([1234, 1235]);

    const mine = q.events.filter((e) => (e.data as { id?: string }).id === id);
    const types = mine.map((e) => e.type);
    expect(types[0]).toBe("task.queued");
    expect(types[1]).toBe("task.started");
    expect(types.at(-1)).toBe("task.finished");
    expect(types.filter((t) => t === "task.image")).toHaveLength(2);
    const steps = mine.filter((e) => e.type === "task.progress" && (e.data as { phase: string }).phase === "sampling").map((e) => (e.data as { step: number }).step);
    expect(steps.length).toBeGreaterThanOrEqual(4);
    // Steps of each image arrive in order (the batch restarts at 1 for the second image).
    const firstImage = steps.slice(0, steps.indexOf(4) + 1);
    expect(firstImage).toEqual([...firstImage].sort((a, b) => a - b));
    const images = mine.filter((e) => e.type === "task.progress" && (e.data as { phase: string }).phase === "sampling").map((e) => (e.data as { image: number }).image);
    expect(images[0]).toBe(1);
    expect(images.at(-1)).toBe(2);
    const status = q.events.filter((e) => e.type === "queue.status").at(-1)!.data;
    expect(status).toEqual({ running: 0, total: 0, paused: false });

    const img = await q.api(done.images[0]!.url);
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await img.arrayBuffer());
    const meta = readImageMetadata(bytes);
    expect(meta.source).toBe("easy-diffusion");
    expect(meta.settings).toMatchObject({ prompt: "a lighthouse at dusk", negative_prompt: "blurry", seed: 1234, steps: 4, sampler: "euler_a", model: "sd-test.safetensors", loras: [{ name: "detail", weight: 0.8 }] });
    const parameters = readPngText(bytes).parameters!;
    expect(parameters).toStartWith("a lighthouse at dusk <lora:detail:0.8>\nNegative prompt: blurry\nSteps: 4, Sampler: Euler a, CFG scale: 7, Seed: 1234, Size: 64x64, Model hash: ");
    expect(parameters).not.toContain("SDCPP");
    const files = filesUnder(join(data.dir, "outputs"));
    expect(files).toHaveLength(2);
    // The file on disk is the one served.
    expect(new Uint8Array(readFileSync(join(data.dir, "outputs", files.sort()[0]!)))).toEqual(bytes);
  });

  test("invalid requests are refused with a message", async () => {
    const cases: [object, string][] = [
      [{ ...request, width: 500 }, "not a multiple of 64"],
      [{ ...request, sampler: "euler_b" }, 'unknown sampler "euler_b"'],
      [{ ...request, model: "missing.safetensors" }, "no model \"missing.safetensors\" in models/stable-diffusion or models/diffusion_models"],
      [{ ...request, prompt: "x".repeat(20_000) }, "longer than 10000"],
      [{ ...request, init_image: "data:image/png;base64,aGVsbG8gd29ybGQ=" }, "not a PNG, JPEG or WebP"],
      [{ ...request, model: "../../etc/passwd" }, "no .."],
      [{ ...request, width: 4096, height: 4096, num_images: 3 }, "3 × 4096×4096 is 50.3 megapixels; one task may make at most 33.6"],
      [{ ...request, width: 2048, height: 2048, hires: { scale: 3 } }, "the result would be 6144×6144; at most 4096 pixels per side"],
    ];
    for (const [body, message] of cases) {
      const res = await q.api("/api/tasks", { method: "POST", json: body });
      expect(res.status).toBe(400);
      const err = (await res.json()) as { error: { code: string; message: string } };
      expect(err.error.message).toContain(message);
    }
    const notJson = await q.api("/api/tasks", { method: "POST", body: "{", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
    // A form or a file where JSON belongs, and a text file as an image: 415 saying what to send.
    const form = await q.api("/api/tasks", { method: "POST", body: new URLSearchParams({ prompt: "x" }) });
    expect(form.status).toBe(415);
    expect(((await form.json()) as { error: { code: string; message: string } }).error.message).toBe("send JSON (Content-Type: application/json), not application/x-www-form-urlencoded");
    const textAsImage = await q.api("/api/metadata/parse", { method: "POST", body: "hello", headers: { "content-type": "text/csv" } });
    expect(textAsImage.status).toBe(415);
    const upload = new FormData();
    upload.set("file", new Blob(["just text"]), "notes.txt");
    const parse = await q.api("/api/metadata/parse", { method: "POST", body: upload });
    expect(parse.status).toBe(400);
    expect(((await parse.json()) as { error: { code: string } }).error.code).toBe("not_an_image");
    expect((await q.api("/api/tasks/nope")).status).toBe(404);
    expect((await q.api("/api/images/nope")).status).toBe(404);
  });

  test("images are served only from inside the outputs folder", async () => {
    const { Database } = await import("bun:sqlite");
    const outside = join(data.dir, "secret.png");
    writeFileSync(outside, png());
    mkdirSync(join(data.dir, "outputs", "x"), { recursive: true });
    symlinkSync(outside, join(data.dir, "outputs", "x", "link.png"));
    const db = new Database(join(data.dir, "easy-diffusion.db"));
    const insert = db.query("INSERT INTO images (id, task_id, path, seed, width, height, format, created) VALUES (?, 't', ?, 1, 8, 8, 'png', 1)");
    insert.run("evil1", outside);
    insert.run("evil2", join(data.dir, "outputs", "x", "link.png"));
    insert.run("evil3", join(data.dir, "outputs", "..", "secret.png"));
    db.close();
    for (const id of ["evil1", "evil2", "evil3"]) {
      const res = await q.api(`/api/images/${id}`);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
    expect((await q.api("/api/images/..%2F..%2Fetc%2Fpasswd")).status).toBe(404);
  });

  test("metadata parse of an uploaded image; model listing", async () => {
    const form = new FormData();
    form.set("file", new Blob([png(8, 8, { parameters: "a cat\nSteps: 9, Sampler: Euler a, CFG scale: 5, Seed: 3, Size: 512x512" }) as Uint8Array<ArrayBuffer>]), "a.png");
    const res = await q.api("/api/metadata/parse", { method: "POST", body: form });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ format: "png", source: "a1111", settings: { prompt: "a cat", steps: 9, sampler: "euler_a", seed: 3 } });
    const asJson = await q.api("/api/metadata/parse", { method: "POST", json: { image: dataUrl(png(8, 8, { parameters: "a dog\nSteps: 5, Sampler: Euler, CFG scale: 4, Seed: 8, Size: 64x64" })) } });
    expect(await asJson.json()).toMatchObject({ source: "a1111", settings: { prompt: "a dog", sampler: "euler", seed: 8 } });
    const raw = await q.api("/api/metadata/parse", { method: "POST", body: png() as Uint8Array<ArrayBuffer>, headers: { "content-type": "image/png" } });
    expect(await raw.json()).toMatchObject({ format: "png", source: "none", settings: {} });
    expect((await q.api("/api/metadata/parse", { method: "POST", json: { image: "nope!" } })).status).toBe(400);
    const models = (await (await q.api("/api/models")).json()) as { kinds: Record<string, string[]> };
    expect(models.kinds["stable-diffusion"]).toEqual(["other.safetensors", "sd-test.safetensors"]);
    expect(models.kinds.lora).toEqual(["detail.safetensors"]);
  });

  test("stopping a running task restarts the engine and says so; the next task runs", async () => {
    const slow = await q.api("/api/tasks", { method: "POST", json: { ...request, steps: 60 } });
    const { id } = (await slow.json()) as { id: string };
    const next = (await (await q.api("/api/tasks", { method: "POST", json: request })).json()) as { id: string };
    await until("sampling", async () => {
      const { progress } = await taskState(q, id);
      return progress.phase === "sampling" && progress.step >= 2;
    });
    const res = await q.api(`/api/tasks/${id}/cancel`, { method: "POST" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { state: string; engineRestarted: boolean; message: string };
    expect(body).toMatchObject({ state: "cancelled", engineRestarted: true });
    expect(body.message).toContain("restarting the engine");
    expect((await waitState(q, next.id, ["succeeded", "failed"])).state).toBe("succeeded");
    expect((await q.api(`/api/tasks/${id}/cancel`, { method: "POST" })).status).toBe(409);
    // Retry makes a new task with the same request.
    const retry = await q.api(`/api/tasks/${id}/retry`, { method: "POST" });
    expect(retry.status).toBe(202);
    const again = (await retry.json()) as { id: string; seed: number };
    expect(again.seed).toBe(1234);
    await q.api(`/api/tasks/${again.id}/cancel`, { method: "POST" });
  });

  test("JPEG output from the PNG-only stand-in, metadata in EXIF", async () => {
    const { id } = (await (await q.api("/api/tasks", { method: "POST", json: { ...request, output_format: "jpeg", output_quality: 85 } })).json()) as { id: string };
    const done = await waitState(q, id, ["succeeded", "failed"]);
    expect(done.error).toBeUndefined();
    const img = await q.api(done.images[0]!.url);
    expect(img.headers.get("content-type")).toBe("image/jpeg");
    const meta = readImageMetadata(new Uint8Array(await img.arrayBuffer()));
    expect(meta).toMatchObject({ format: "jpeg", source: "easy-diffusion", settings: { seed: 1234, output_format: "jpeg", output_quality: 85 } });
    expect(meta.parameters).toContain("Steps: 4, Sampler: Euler a");
    expect(filesUnder(join(data.dir, "outputs")).filter((f) => f.endsWith(".jpg"))).toHaveLength(1);
  });

  test("WebP output from the PNG-only stand-in: a real WebP at the asked quality, request in XMP, infotext in EXIF", async () => {
    const sizes: number[] = [];
    for (const output_quality of [90, 20]) {
      const { id } = (await (await q.api("/api/tasks", { method: "POST", json: { ...request, width: 128, height: 64, output_format: "webp", output_quality } })).json()) as { id: string };
      const done = await waitState(q, id, ["succeeded", "failed"]);
      expect(done.error).toBeUndefined();
      const img = await q.api(done.images[0]!.url);
      expect(img.headers.get("content-type")).toBe("image/webp");
      const bytes = new Uint8Array(await img.arrayBuffer());
      expect(Buffer.from(bytes.subarray(0, 4)).toString("latin1")).toBe("RIFF");
      expect(Buffer.from(bytes.subarray(8, 12)).toString("latin1")).toBe("WEBP");
      const decoded = await decodeWebp(bytes.buffer as ArrayBuffer);
      expect([decoded.width, decoded.height]).toEqual([128, 64]);
      sizes.push(bytes.length);
      const form = new FormData();
      form.set("file", new Blob([bytes]), "out.webp");
      const parsed = (await (await q.api("/api/metadata/parse", { method: "POST", body: form })).json()) as { format: string; source: string; settings: object; parameters: string };
      expect(parsed).toMatchObject({ format: "webp", source: "easy-diffusion", settings: { prompt: "a lighthouse at dusk", seed: 1234, width: 128, height: 64, output_format: "webp", output_quality } });
      expect(parsed.parameters).toStartWith("a lighthouse at dusk <lora:detail:0.8>\nNegative prompt: blurry\nSteps: 4, Sampler: Euler a");
    }
    // output_quality reaches the encoder.
    expect(sizes[1]!).toBeLessThan(sizes[0]!);
    expect(filesUnder(join(data.dir, "outputs")).filter((f) => f.endsWith(".webp"))).toHaveLength(2);
  });

  test("the stand-in's own UTF-8 tEXt infotext (as sd.cpp writes it) parses with its non-ASCII prompt intact", async () => {
    const jobId = await q.engine.submit({ prompt: "café 猫", negative_prompt: "", width: 64, height: 64, seed: 7, batch_count: 1, sample_params: { sample_steps: 2 }, output_format: "png" });
    const job = await until("stand-in job", async () => {
      const j = await q.engine.poll(jobId);
      return (j.status === "completed" || j.status === "failed") && j;
    });
    expect(job.status).toBe("completed");
    const bytes = job.images![0]!.data;
    // The raw chunk really is UTF-8 in tEXt, not iTXt.
    expect(Buffer.from(bytes).includes(Buffer.from("tEXtparameters\0café 猫", "utf8"))).toBe(true);
    const form = new FormData();
    form.set("file", new Blob([bytes as Uint8Array<ArrayBuffer>]), "sdcpp.png");
    const parsed = (await (await q.api("/api/metadata/parse", { method: "POST", body: form })).json()) as { source: string; settings: { prompt: string; seed: number } };
    expect(parsed).toMatchObject({ source: "sdcpp", settings: { prompt: "café 猫", seed: 7 } });
  });

  test("incognito: nothing on disk or in history, image served from memory", async () => {
    const before = filesUnder(join(data.dir, "outputs")).length;
    const res = await q.api("/api/tasks", { method: "POST", json: { ...request, incognito: true } });
    const { id } = (await res.json()) as { id: string };
    const done = await waitState(q, id, ["succeeded", "failed"]);
    expect(done.state).toBe("succeeded");
    expect(filesUnder(join(data.dir, "outputs")).length).toBe(before);
    const img = await q.api(done.images[0]!.url);
    expect(img.status).toBe(200);
    expect(readImageMetadata(new Uint8Array(await img.arrayBuffer())).settings.prompt).toBe("a lighthouse at dusk");
    const { Database } = await import("bun:sqlite");
    const db = new Database(join(data.dir, "easy-diffusion.db"), { readonly: true });
    expect(db.query("SELECT COUNT(*) AS n FROM tasks WHERE id = ?").get(id)).toEqual({ n: 0 });
    expect(db.query("SELECT COUNT(*) AS n FROM images WHERE task_id = ?").get(id)).toEqual({ n: 0 });
    db.close();
  });

  test("work is grouped by model set: a task for the loaded model goes before one that would restart the engine", async () => {
    await q.api("/api/queue", { method: "PATCH", json: { paused: true } });
    const other = ((await (await q.api("/api/tasks", { method: "POST", json: { ...request, model: "other.safetensors" } })).json()) as { id: string }).id;
    const same = ((await (await q.api("/api/tasks", { method: "POST", json: request })).json()) as { id: string }).id;
    const from = q.events.length;
    await q.api("/api/queue", { method: "PATCH", json: { paused: false } });
    for (const id of [other, same]) expect((await waitState(q, id, ["succeeded", "failed"])).state).toBe("succeeded");
    const started = q.events.slice(from).filter((e) => e.type === "task.started").map((e) => (e.data as { id: string }).id);
    expect(started).toEqual([same, other]);
  });

  test("pause, reorder, and queued tasks surviving a launcher restart", async () => {
    expect((await q.api("/api/queue", { method: "PATCH", json: { paused: true } })).status).toBe(200);
    const ids: string[] = [];
    for (const seed of [1, 2, 3]) ids.push(((await (await q.api("/api/tasks", { method: "POST", json: { ...request, seed } })).json()) as { id: string }).id);
    const patched = (await (await q.api("/api/queue", { method: "PATCH", json: { order: [ids[2], ids[0]] } })).json()) as { order: string[]; paused: boolean; total: number };
    expect(patched).toMatchObject({ paused: true, total: 3, order: [ids[2], ids[0], ids[1]] });
    expect((await q.api("/api/queue", { method: "PATCH", json: { order: "x" } })).status).toBe(400);

    await q.stop();
    q = await startQueueApp(data.dir, standin(data.dir));
    for (const id of ids) expect((await taskState(q, id)).state).toBe("queued");
    expect((await (await q.api("/api/queue")).json()) as object).toEqual({ running: 0, total: 3, paused: true });
    await q.api("/api/queue", { method: "PATCH", json: { paused: false } });
    for (const id of ids) expect((await waitState(q, id, ["succeeded", "failed"])).state).toBe("succeeded");
    const started = q.events.filter((e) => e.type === "task.started").map((e) => (e.data as { id: string }).id);
    expect(started).toEqual([ids[2]!, ids[0]!, ids[1]!]);
  });
});

describe("engine crash mid-task", () => {
  const crashData = tempData("ed-queue-crash-");
  afterAll(() => crashData.remove());

  test("the task fails with the reason; the next task succeeds", async () => {
    const build = standin(crashData.dir, { fault: "crash-at-step", faultStep: 2, faultTimes: 1, counterFile: join(crashData.dir, "starts") });
    const q = await startQueueApp(crashData.dir, build);
    try {
      const a = (await (await q.api("/api/tasks", { method: "POST", json: request })).json()) as { id: string };
      const b = (await (await q.api("/api/tasks", { method: "POST", json: { ...request, seed: 99 } })).json()) as { id: string };
      const failed = await waitState(q, a.id, ["succeeded", "failed"]);
      expect(failed.state).toBe("failed");
      expect(failed.error!.code).toStartWith("engine_");
      expect(failed.error!.message.length).toBeGreaterThan(10);
      expect(q.events.some((e) => e.type === "task.failed" && (e.data as { id: string }).id === a.id)).toBe(true);
      const second = await waitState(q, b.id, ["succeeded", "failed"]);
      expect(second.error).toBeUndefined();
      expect(second.state).toBe("succeeded");
    } finally {
      await q.stop();
    }
  });
});

describe("queue length", () => {
  test("past the limit of waiting tasks, a submit gets 429 saying how many wait; nothing is stored for it", async () => {
    const data = tempData();
    const q = await startQueueApp(data.dir, standin(data.dir), managerFor, { maxWaiting: 2 });
    try {
      await q.api("/api/queue", { method: "PATCH", json: { paused: true } });
      const body = { prompt: "a", model: "sd-test.safetensors", width: 64, height: 64, steps: 1 };
      for (let i = 0; i < 2; i++) expect((await q.api("/api/tasks", { method: "POST", json: body })).status).toBe(202);
      const full = await q.api("/api/tasks", { method: "POST", json: body });
      expect(full.status).toBe(429);
      const err = (await full.json()) as { error: { code: string; message: string; details: { waiting: number } } };
      expect(err.error.code).toBe("queue_full");
      expect(err.error.message).toBe("2 tasks are waiting already; wait for some to finish, or cancel some");
      expect(err.error.details.waiting).toBe(2);
      const list = (await (await q.api("/api/tasks")).json()) as { tasks: unknown[] };
      expect(list.tasks).toHaveLength(2);
    } finally {
      await q.stop();
      data.remove();
    }
  });
});
