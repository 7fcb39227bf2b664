import { afterAll, afterEach, describe, expect, test, setDefaultTimeout } from "bun:test";
import { buildServerArgs } from "../../engine/process/args";
import { Supervisor, EngineStartError, readyDeadline, type SupervisorEvent } from "../../engine/process/supervisor";
import type { ModelSet } from "../../engine/types";
import { alive, dummyModels, standinInstalled, tempDir, waitFor } from "../standin/fixtures";

setDefaultTimeout(60_000);
const tmp = tempDir();
afterAll(() => tmp.cleanup());
const models: ModelSet = dummyModels(tmp.dir);
const flags = { flash_attention: false, offload_to_cpu: false, vae_tiling: false, vae_tile_size: 512, mmap: true, threads: 0 };
const argsFor = (m: ModelSet) => (port: number) => buildServerArgs(flags, m, port);

let supervisors: Supervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.map((s) => s.stop()));
  supervisors = [];
});

function supervisor(opts: ConstructorParameters<typeof Supervisor>[0] = {}) {
  const s = new Supervisor({ backoffMs: 50, stopGraceMs: 2_000, healthIntervalMs: 500, healthTimeoutMs: 3_000, readyTimeoutMs: 15_000, ...opts });
  const events: SupervisorEvent[] = [];
  s.on((e) => events.push(e));
  supervisors.push(s);
  return { s, events, types: () => events.filter((e) => e.type !== "log" && e.type !== "progress").map((e) => e.type) };
}

async function submit(port: number, body: object) {
  const res = await fetch(`http://127.0.0.1:${port}/sdcpp/v1/img_gen`, { method: "POST", body: JSON.stringify(body) });
  return (await res.json()) as { id: string };
}

describe("supervisor", () => {
  test("starts the stand-in on a loopback port, logs its output, stops it with SIGTERM", async () => {
    const { s, types } = supervisor({ logFile: `${tmp.dir}/logs/engine.log` });
    const build = standinInstalled(tmp.dir, "cpu");
    const running = await s.start([build], argsFor(models));
    expect(running.port).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${running.port}/`)).status).toBe(200);
    // Output and HTTP are separate channels: the line may be read just after GET / answered.
    await waitFor("the listening line", () => s.log.tail().some((l) => l.includes("listening on: http://127.0.0.1:")));
    expect(await Bun.file(`${tmp.dir}/logs/engine.log`).text()).toContain("loading model from '");
    await s.stop();
    expect(alive(running.pid)).toBe(false);
    expect(types()).toEqual(["starting", "ready", "exited", "stopped"]);
  });

  test("a crash while generating restarts the engine with a new epoch", async () => {
    const { s, events } = supervisor();
    const build = standinInstalled(tmp.dir, "crashy", { fault: "crash-at-step", faultStep: 2, faultTimes: 1, counterFile: `${tmp.dir}/crash-count` });
    const first = await s.start([build], argsFor(models));
    await submit(first.port, { prompt: "x", sample_params: { sample_steps: 5 } });
    const ready = await waitFor("a second ready", () => events.filter((e) => e.type === "ready").at(1));
    const exited = events.find((e) => e.type === "exited" && !e.expected);
    expect(exited && exited.type === "exited" && exited.error?.code).toBe("crashed");
    expect(exited && exited.type === "exited" && exited.exit.signal).toBe("SIGSEGV");
    expect(ready.type === "ready" && ready.engine.epoch).toBeGreaterThan(first.epoch);
    expect(events.some((e) => e.type === "restarting")).toBe(true);
  });

  test("a hung engine is detected by the health check and restarted", async () => {
    const { s, events } = supervisor({ healthIntervalMs: 200, healthTimeoutMs: 500, healthFailures: 2 });
    const build = standinInstalled(tmp.dir, "hangs", { fault: "hang", faultStep: 1, faultTimes: 1, counterFile: `${tmp.dir}/hang-count` });
    const first = await s.start([build], argsFor(models));
    await submit(first.port, { prompt: "x" });
    await waitFor("a second ready", () => events.filter((e) => e.type === "ready").at(1));
    expect(alive(first.pid)).toBe(false);
    const exited = events.find((e) => e.type === "exited" && !e.expected);
    expect(exited?.type === "exited" && exited.error?.message).toContain("stopped answering");
  });

  test("gives up after the restart budget, with growing delays, and says so", async () => {
    const { s, events } = supervisor({ maxRestarts: 2 });
    const build = standinInstalled(tmp.dir, "never", { fault: "fail-start" });
    const error = await s.start([build], argsFor(models)).catch((e) => e);
    expect(error).toBeInstanceOf(EngineStartError);
    expect(error.info.message).toContain("Gave up after 3 tries");
    const delays = events.flatMap((e) => (e.type === "restarting" ? [e.delayMs] : []));
    expect(delays).toEqual([50, 100]);
    expect(events.filter((e) => e.type === "starting")).toHaveLength(3);
    expect(events.at(-1)?.type).toBe("failed");
  });

  test("falls back to the next build when a backend cannot run (missing library), reporting MissingLibrary", async () => {
    const { s, events } = supervisor();
    const vulkan = standinInstalled(tmp.dir, "vulkan", { fault: "missing-library" }, "vulkan");
    const cpu = standinInstalled(tmp.dir, "cpu");
    const running = await s.start([vulkan, cpu], argsFor(models));
    expect(running.build.variant).toBe("cpu");
    const fallback = events.find((e) => e.type === "fallback");
    expect(fallback?.type === "fallback" && fallback.error.code).toBe("missing_library");
    expect(fallback?.type === "fallback" && fallback.error.message).toContain("libvulkan.so.1");
    expect(events.some((e) => e.type === "restarting")).toBe(false);
  });

  test("no device and too-old glibc fall through every build to a clear error", async () => {
    const { s } = supervisor();
    const a = standinInstalled(tmp.dir, "cuda12", { fault: "no-device" }, "cuda");
    const b = standinInstalled(tmp.dir, "cpu-new", { fault: "glibc" });
    const error = await s.start([a, b], argsFor(models)).catch((e) => e);
    expect(error.info.code).toBe("glibc_too_old");
    expect(error.info.message).toMatch(/needs glibc 2\.39, your system has \d+\.\d+\./);
  });

  test("a missing model file is reported as ModelNotFound without retries", async () => {
    const { s, events } = supervisor();
    const error = await s.start([standinInstalled(tmp.dir, "cpu")], argsFor({ ...models, model: `${tmp.dir}/nope.safetensors` })).catch((e) => e);
    expect(error.info.code).toBe("model_not_found");
    expect(events.filter((e) => e.type === "starting")).toHaveLength(1);
  });

  test("the ready deadline extends while the engine prints load progress", async () => {
    // Nine load-bar updates 800 ms apart before listening: far past the 3 s base timeout, never 3 s without output.
    const { s, events } = supervisor({ readyTimeoutMs: 3_000, readyExtendMs: 3_000 });
    const build = standinInstalled(tmp.dir, "eager", { loadMs: 800, startDelayMs: 100 });
    const started = Date.now();
    const running = await s.start([build], (port) => [...argsFor(models)(port), "--eager-load"]);
    expect(Date.now() - started).toBeGreaterThan(3_000);
    expect(running.port).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === "progress" && e.progress.kind === "load").length).toBeGreaterThanOrEqual(9);
  });

  test("readyDeadline: base timeout, pushed by output, capped", () => {
    const o = { readyTimeoutMs: 1_000, readyExtendMs: 500, readyMaxMs: 5_000 };
    expect(readyDeadline(0, 0, o)).toBe(1_000);
    expect(readyDeadline(0, 900, o)).toBe(1_400);
    expect(readyDeadline(0, 4_800, o)).toBe(5_000);
  });

  test("an engine that never answers fails with StartTimeout", async () => {
    const { s } = supervisor({ readyTimeoutMs: 500, readyExtendMs: 100, maxRestarts: 0 });
    const error = await s.start([standinInstalled(tmp.dir, "slow", { startDelayMs: 10_000 })], argsFor(models)).catch((e) => e);
    expect(error.info.code).toBe("start_timeout");
  });
});
