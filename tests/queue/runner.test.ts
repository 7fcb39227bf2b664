/**
 * The runner on its own. A model that failed to load is not hashed (hashing a
 * broken multi-GB file slowed the next task from ~2 s to 11-22 s on the real
 * engine). Job polling does not trust the engine's answer: a poll answer that is not a
 * job (5xx, HTML, wrong shape) is an error, repeated errors fail the task, and
 * a job that shows no sign of life for `stallMs` fails with a reason and is
 * stopped. Polls go to a real local HTTP server where the wire matters.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EngineAnswerError, readJob } from "../../engine/process/client";
import type { Engine, EngineEvent, EngineJob, EngineStatus } from "../../engine/types";
import { resolvePaths } from "../../core/paths";
import { searchPath } from "../../models/roots";
import { imageRequestSchema, resolveRequest } from "../../common/image-request";
import { runTask, type ActiveRun } from "../../queue/runner";
import type { Task } from "../../queue/task";

const dir = mkdtempSync(join(tmpdir(), "ed-runner-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const paths = resolvePaths({ home: dir, platform: "linux", ci: true }, { dataDir: dir });
mkdirSync(join(paths.models, "stable-diffusion"), { recursive: true });
writeFileSync(join(paths.models, "stable-diffusion", "m.safetensors"), "weights");

/** A local stand-in for sd-server's job route whose answer the test picks. */
function jobServer(answer: () => Response) {
  return Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => answer() });
}

describe("readJob checks what the engine answered", () => {
  test.each([
    [() => new Response("upstream exploded", { status: 500 }), "HTTP 500: upstream exploded"],
    [() => Response.json({ error: "busy" }, { status: 503 }), "HTTP 503"],
    [() => new Response("<html>proxy</html>", { status: 200 }), "not JSON"],
    [() => Response.json({ hello: "world" }), "not a job"],
    [() => Response.json({ status: "completed", result: null }), "a completed job without images"],
  ] as const)("%#: refused with %s", async (answer, why) => {
    const server = jobServer(answer);
    try {
      const err = await readJob(server.port!, "job_1").catch((e) => e);
      expect(err).toBeInstanceOf(EngineAnswerError);
      expect((err as Error).message).toContain(why);
    } finally {
      server.stop(true);
    }
  });

  test("a job answer is read; 404 is a failed job", async () => {
    let status = 200;
    const server = jobServer(() => (status === 200 ? Response.json({ status: "generating", result: null, error: null }) : Response.json({ error: "job not found" }, { status })));
    try {
      expect((await readJob(server.port!, "job_1")).status).toBe("generating");
      status = 404;
      expect(await readJob(server.port!, "job_1")).toMatchObject({ status: "failed", error: { code: "not_found" } });
    } finally {
      server.stop(true);
    }
  });
});

/** An engine whose poll answers come from `poll`, and which can emit events. */
function fakeEngine(poll: () => Promise<EngineJob>, ensure: () => Promise<void> = async () => {}) {
  const listeners = new Set<(e: EngineEvent) => void>();
  const cancelled: string[] = [];
  const status: EngineStatus = { state: "busy" } as EngineStatus;
  const engine: Engine = {
    status: () => status,
    ensure,
    stop: async () => {},
    submit: async () => "job_1",
    poll,
    cancel: async (id) => void cancelled.push(id),
    on: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  return { engine, cancelled, emit: (e: EngineEvent) => listeners.forEach((l) => l(e)) };
}

function activeRun(): ActiveRun {
  const request = resolveRequest(imageRequestSchema.parse({ prompt: "x", model: "m.safetensors", seed: 1, steps: 4 }), { format: "png", quality: 90 });
  const task = { id: "t1", state: "running", position: 0, request, created: Date.now() } as Task;
  return { task, cancelRequested: false, engineRestarted: false, progress: { phase: "loading" } as ActiveRun["progress"], wake: () => {} };
}

const deps = (engine: Engine, extra: object) => ({ engine, models: searchPath(paths), onModelSet: () => {}, onProgress: () => {}, onImage: async () => {}, pollMinMs: 1, pollMaxMs: 5, ...extra });

describe("every poll loop has a deadline tied to progress", () => {
  test("answers that are not a job, again and again, fail the task with the reason", async () => {
    const { engine } = fakeEngine(async () => {
      throw new EngineAnswerError(500, "upstream exploded");
    });
    const outcome = await runTask(activeRun(), deps(engine, { pollFailures: 3 }));
    expect(outcome.state).toBe("failed");
    if (outcome.state === "failed") {
      expect(outcome.error.code).toBe("engine_stalled");
      expect(outcome.error.message).toContain("not usable 3 times in a row (the engine answered a job poll with HTTP 500: upstream exploded)");
    }
  });

  test("one bad answer among good ones is forgiven", async () => {
    let n = 0;
    const { engine } = fakeEngine(async () => {
      n++;
      if (n === 1) throw new EngineAnswerError(502, "");
      return n < 4 ? { id: "job_1", status: "generating" } : { id: "job_1", status: "completed", images: [{ index: 0, data: new Uint8Array([1]) }] };
    });
    expect((await runTask(activeRun(), deps(engine, { pollFailures: 2 }))).state).toBe("succeeded");
  });

  test("a job with no sign of life for stallMs fails with a reason, and is stopped", async () => {
    const { engine, cancelled } = fakeEngine(async () => ({ id: "job_1", status: "generating" }));
    const outcome = await runTask(activeRun(), deps(engine, { stallMs: 150 }));
    expect(outcome).toMatchObject({ state: "failed", error: { code: "engine_stalled" } });
    if (outcome.state === "failed") expect(outcome.error.message).toMatch(/^the engine showed no progress for \d+ s \(job generating\); the task was stopped$/);
    expect(cancelled).toEqual(["job_1"]);
  });

  test("progress keeps a slow job alive past stallMs", async () => {
    let polls = 0;
    const fake = fakeEngine(async () => {
      polls++;
      // Sign of life on every poll; the job ends long after stallMs would have passed without it.
      fake.emit({ type: "log", line: `[INFO ] still working ${polls}`, stream: "stdout" });
      await Bun.sleep(5);
      return polls < 80 ? { id: "job_1", status: "generating" } : { id: "job_1", status: "completed", images: [{ index: 0, data: new Uint8Array([1]) }] };
    });
    expect((await runTask(activeRun(), deps(fake.engine, { stallMs: 100 }))).state).toBe("succeeded");
  });
});

describe("the end of a job is noticed at once", () => {
  const image = { index: 0, data: new Uint8Array([1]) };

  test("a done line that comes while a poll is in flight still wakes the wait", async () => {
    let polls = 0;
    const fake = fakeEngine(async () => {
      polls++;
      // The engine's last line races the poll's HTTP answer: it arrives before the answer (still generating).
      if (polls === 1) fake.emit({ type: "progress", progress: { kind: "done", seconds: 1 } });
      return polls === 1 ? { id: "job_1", status: "generating" } : { id: "job_1", status: "completed", images: [image] };
    });
    const start = performance.now();
    // Without the kept wake the next poll would come a whole 5 s interval later.
    expect((await runTask(activeRun(), deps(fake.engine, { pollMinMs: 5_000, pollMaxMs: 60_000 }))).state).toBe("succeeded");
    expect(performance.now() - start).toBeLessThan(2_000);
    expect(polls).toBe(2);
  });

  test("after the decoding line, polls stay at the shortest interval instead of backing off", async () => {
    let polls = 0;
    const fake = fakeEngine(async () => {
      polls++;
      if (polls === 1) fake.emit({ type: "progress", progress: { kind: "decoding" } });
      // The result takes a few more polls to be there (the engine encodes the picture after its last line).
      return polls < 9 ? { id: "job_1", status: "generating" } : { id: "job_1", status: "completed", images: [image] };
    });
    const start = performance.now();
    // Backing off from 50 ms by ×1.5 the 8 waits would add up to about 2.5 s; at the shortest interval, 8 × 50 ms.
    expect((await runTask(activeRun(), deps(fake.engine, { pollMinMs: 50, pollMaxMs: 10_000 }))).state).toBe("succeeded");
    expect(performance.now() - start).toBeLessThan(1_500);
    expect(polls).toBe(9);
  });
});

describe("cancel", () => {
  test("a cancel that comes while the job is being submitted stops the job once its id is known", async () => {
    const { engine, cancelled } = fakeEngine(async () => ({ id: "job_1", status: "generating" }));
    const run = activeRun();
    // The cancel arrives before the engine has answered the submit (a slow machine, Wine): no job id yet.
    engine.submit = async () => {
      run.cancelRequested = true;
      return "job_1";
    };
    const outcome = await runTask(run, deps(engine, {}));
    expect(outcome.state).toBe("cancelled");
    expect(cancelled).toEqual(["job_1"]);
    expect(run.engineRestarted).toBe(true);
  });
});

describe("a model that failed to load", () => {
  test("is not handed on for hashing; a loaded one is", async () => {
    const resolved: string[] = [];
    const failing = fakeEngine(async () => ({ id: "job_1", status: "generating" }), async () => {
      throw new Error("The model file is damaged or incomplete");
    });
    const outcome = await runTask(activeRun(), deps(failing.engine, { onResolved: (m: { model: { path: string } }) => resolved.push(m.model.path) }));
    expect(outcome.state).toBe("failed");
    expect(resolved).toEqual([]);
    const working = fakeEngine(async () => ({ id: "job_1", status: "completed", images: [{ index: 0, data: new Uint8Array([1]) }] }));
    expect((await runTask(activeRun(), deps(working.engine, { onResolved: (m: { model: { path: string } }) => resolved.push(m.model.path) }))).state).toBe("succeeded");
    expect(resolved).toEqual([join(paths.models, "stable-diffusion", "m.safetensors")]);
  });
});
