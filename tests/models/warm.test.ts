/**
 * The warm engine with the stand-in sd-server: at start the engine is
 * started with the newest task's models, so the next task with them runs
 * without another engine start; warm_start off starts nothing; the idle
 * check stops a ready engine after idle_unload_minutes (time injected).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Engine, EngineState } from "../../engine/types";
import type { AppContext } from "../../core/server/context";
import { shouldUnload } from "../../models/warm";
import type { ModelUse } from "../../models/use";
import { queueService } from "../../queue/service";
import { imageRequestSchema, resolveRequest } from "../../common/image-request";
import { TaskStore } from "../../queue/store";
import { managerFor, standin, tempData } from "../queue/harness";
import { waitFor } from "../standin/fixtures";
import { startModelsApp, type ModelsApp } from "./harness";

let m: ModelsApp | undefined;
let engine: Engine | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await m?.stop();
  await engine?.stop();
  cleanup?.();
  m = engine = cleanup = undefined;
});

/** A data folder whose database holds one finished task that used sd-test.safetensors. */
function dataWithHistory() {
  const data = tempData("ed-warm-");
  cleanup = data.remove;
  const store = new TaskStore(join(data.dir, "easy-diffusion.db"));
  store.insert({ id: "t_old", state: "succeeded", position: 1, request: { model: "sd-test.safetensors", text_encoders: [], loras: [] } as never, created: Date.now() - 1000, incognito: false });
  store.close();
  return data.dir;
}

async function start(dir: string, config: string) {
  const build = standin(dir);
  const starts: EngineState[] = [];
  const shared = (ctx: AppContext) => {
    if (!engine) {
      engine = managerFor(ctx, build);
      engine.on((e) => e.type === "state" && e.status.state === "starting" && starts.push(e.status.state));
    }
    return engine;
  };
  // As launcher/wiring.ts: the models service learns what the tasks used from the queue.
  let use: ModelUse | undefined;
  const queueFactory = queueService({ engine: shared });
  const queue = async (ctx: AppContext) => {
    const service = await queueFactory(ctx);
    use = service.modelUse;
    return service;
  };
  m = await startModelsApp(dir, { config, models: { engine: shared, use: () => use }, more: [queue] });
  return starts;
}

describe("warm start", () => {
  test("the engine starts with the last used model; the next task with it does not start it again", async () => {
    const dir = dataWithHistory();
    const starts = await start(dir, "models:\n  warm_start: true\n");
    expect(await m!.models.warm!.warming).toBe(true);
    expect(engine!.status().state).toBe("ready");
    expect(starts.length).toBe(1);
    const res = await m!.api("/api/tasks", { method: "POST", json: { prompt: "a cat", model: "sd-test.safetensors", steps: 2, seed: 1 } });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitFor("task done", async () => ((await (await m!.api(`/api/tasks/${id}`)).json()) as { state: string }).state === "succeeded");
    expect(starts.length).toBe(1);
  });

  test("POST /api/models/warm (after a starter download) starts the engine with that model at once", async () => {
    const data = tempData("ed-warm-route-");
    cleanup = data.remove;
    const starts = await start(data.dir, "models:\n  warm_start: false\n");
    expect(starts.length).toBe(0);
    const res = await m!.api("/api/models/warm", { method: "POST", json: { model: "sd-test.safetensors" } });
    expect(res.status).toBe(202);
    expect(await m!.models.warm!.warming).toBe(true);
    expect(engine!.status().state).toBe("ready");
    expect((await m!.api("/api/models/warm", { method: "POST", json: {} })).status).toBe(400);
  });

  test("a task still queued from the last run: the warm start leaves the engine to it (the queue's count, not its table)", async () => {
    const data = tempData("ed-warm-queued-");
    cleanup = data.remove;
    const store = new TaskStore(join(data.dir, "easy-diffusion.db"));
    const fields = imageRequestSchema.parse({ prompt: "a cat", model: "sd-test.safetensors", steps: 2, seed: 1 });
    const request = resolveRequest(fields, { format: "png", quality: 90 });
    store.insert({ id: "t_waiting", state: "queued", position: 1, request, created: Date.now(), incognito: false });
    store.close();
    await start(data.dir, "models:\n  warm_start: true\n");
    expect(await m!.models.warm!.warming).toBe(false);
    await waitFor("the queued task done", async () => ((await (await m!.api("/api/tasks/t_waiting")).json()) as { state: string }).state === "succeeded");
  });

  test("warm_start off: nothing starts until a task needs it", async () => {
    const dir = dataWithHistory();
    const starts = await start(dir, "models:\n  warm_start: false\n");
    expect(await m!.models.warm!.warming).toBe(false);
    expect(starts.length).toBe(0);
  });

  test("idle unload: a ready engine is stopped after idle_unload_minutes without tasks", async () => {
    const dir = dataWithHistory();
    await start(dir, "models:\n  idle_unload_minutes: 5\n");
    await m!.models.warm!.warming;
    expect(engine!.status().state).toBe("ready");
    expect(await m!.models.warm!.tick(Date.now() + 60_000)).toBe(false);
    expect(await m!.models.warm!.tick(Date.now() + 5 * 60_000 + 1000)).toBe(true);
    expect(engine!.status().state).toBe("stopped");
  });
});

describe("shouldUnload (pure)", () => {
  const base = { minutes: 10, lastActivity: 0, now: 10 * 60_000, state: "ready", queued: 0 };
  test.each([
    [base, true],
    [{ ...base, minutes: 0 }, false],
    [{ ...base, now: 9 * 60_000 }, false],
    [{ ...base, state: "busy" }, false],
    [{ ...base, state: "stopped" }, false],
    [{ ...base, queued: 1 }, false],
  ])("%o → %p", (input, expected) => expect(shouldUnload(input)).toBe(expected));
});
