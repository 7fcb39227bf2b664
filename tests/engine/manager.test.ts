import { afterAll, afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { EngineManager } from "../../engine/manager";
import type { BuildProvider, EngineEvent, InstalledBuild, ModelSet } from "../../engine/types";
import { defaultConfig } from "../../core/config/schema";
import { EventBus } from "../../core/events/bus";
import { readPngText } from "../standin/png";
import { alive, dummyModels, standinInstalled, tempDir, waitFor } from "../standin/fixtures";

setDefaultTimeout(60_000);
const tmp = tempDir();
afterAll(() => tmp.cleanup());
const models: ModelSet = dummyModels(tmp.dir);

/** A BuildProvider over already-installed stand-in builds, recording markGood calls. */
function provider(builds: InstalledBuild[]): BuildProvider & { good: InstalledBuild[]; calls: number } {
  const p = {
    good: [] as InstalledBuild[],
    calls: 0,
    async builds() {
      p.calls++;
      return builds;
    },
    markGood(b: InstalledBuild) {
      p.good.push(b);
    },
  };
  return p;
}

const managers: EngineManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stop()));
});

function manager(builds: InstalledBuild[], flags = { ...defaultConfig().engine, flash_attention: false }) {
  const bus = new EventBus();
  const settings = { flags };
  const m = new EngineManager({ provider: provider(builds), flags: () => settings.flags, bus, supervisor: { backoffMs: 50, healthIntervalMs: 300, stopGraceMs: 2_000 } });
  const events: EngineEvent[] = [];
  m.on((e) => events.push(e));
  managers.push(m);
  const states = () => events.flatMap((e) => (e.type === "state" ? [e.status.state] : []));
  return { m, bus, events, states, settings };
}

async function until(m: EngineManager, id: string) {
  return waitFor(`job ${id}`, async () => {
    const job = await m.poll(id);
    return job.status === "queued" || job.status === "generating" ? undefined : job;
  });
}

describe("engine manager", () => {
  test("ensure → submit → progress in order → completed with a PNG; states on the bus", async () => {
    const build = standinInstalled(tmp.dir, "cpu");
    const { m, bus, events, states } = manager([build]);
    expect(m.status().state).toBe("absent");
    await m.ensure(models);
    expect(m.status()).toMatchObject({ state: "ready", variant: "cpu", version: "test-tag" });
    const id = await m.submit({ prompt: "a lighthouse", width: 64, height: 64, seed: 3, sample_params: { sample_steps: 4 } });
    expect(m.status().state).toBe("busy");
    const job = await until(m, id);
    expect(job.status).toBe("completed");
    expect(readPngText(job.images![0]!.data).parameters).toStartWith("a lighthouse\nSteps: 4");
    await waitFor("the done event", () => events.some((e) => e.type === "progress" && e.progress.kind === "done"));
    const kinds = events.flatMap((e) => (e.type === "progress" ? [e.progress.kind] : []));
    const steps = events.flatMap((e) => (e.type === "progress" && e.progress.kind === "sampling" ? [e.progress.step] : []));
    expect(steps).toEqual([1, 2, 3, 4]);
    expect(kinds.indexOf("sampling")).toBeLessThan(kinds.indexOf("decoding"));
    expect(kinds.at(-1)).toBe("done");
    expect(states()).toEqual(["installed", "starting", "ready", "busy", "ready"]);
    const busTypes = new Set(bus.since(0).events.map((e) => e.type));
    for (const t of ["engine.state", "engine.progress", "engine.log"]) expect(busTypes.has(t as never)).toBe(true);
    expect(m.logs().some((l) => l.includes("generate_image completed"))).toBe(true);
    // Log lines go out batched (one event per interval), in order, none lost.
    const logLines = () => bus.since(0).events.flatMap((e) => (e.type === "engine.log" ? (e.data as { lines: string[] }).lines : []));
    await waitFor("the last log line on the bus", () => logLines().some((l) => l.includes("generate_image completed")));
    const logEvents = bus.since(0).events.filter((e) => e.type === "engine.log");
    expect(logLines().length).toBeGreaterThan(logEvents.length);
    const lines = events.flatMap((e) => (e.type === "log" ? [e.line] : []));
    expect(lines.slice(0, logLines().length)).toEqual(logLines());
  });

  test("ensure restarts only when the model set or the engine flags change", async () => {
    const { m, settings } = manager([standinInstalled(tmp.dir, "cpu")]);
    await m.ensure(models);
    const pid = m.supervisor.running!.pid;
    await m.ensure({ ...models });
    expect(m.supervisor.running!.pid).toBe(pid);
    settings.flags = { ...settings.flags, vae_tiling: true };
    await m.ensure(models);
    const pid2 = m.supervisor.running!.pid;
    expect(pid2).not.toBe(pid);
    expect(alive(pid)).toBe(false);
    await m.ensure({ ...models, vae: models.model });
    expect(m.supervisor.running!.pid).not.toBe(pid2);
  });

  test("cancel of a generating job restarts the process; a queued one is cancelled through the API", async () => {
    const { m, states } = manager([standinInstalled(tmp.dir, "cpu", { stepMs: 100 })]);
    await m.ensure(models);
    const before = m.supervisor.running!;
    const running = await m.submit({ prompt: "long", width: 64, height: 64, sample_params: { sample_steps: 80 } });
    const queued = await m.submit({ prompt: "next", width: 64, height: 64 });
    await waitFor("generating", async () => (await m.poll(running)).status === "generating");
    await m.cancel(queued);
    expect((await m.poll(queued)).status).toBe("cancelled");
    expect(m.supervisor.running!.pid).toBe(before.pid);
    await m.cancel(running);
    const after = m.supervisor.running!;
    expect(after.pid).not.toBe(before.pid);
    expect(after.epoch).toBeGreaterThan(before.epoch);
    expect(alive(before.pid)).toBe(false);
    expect((await m.poll(running)).status).toBe("cancelled");
    expect(states()).toContain("restarting");
    expect(m.status().state).toBe("ready");
    const next = await until(m, await m.submit({ prompt: "after", width: 64, height: 64, sample_params: { sample_steps: 1 } }));
    expect(next.status).toBe("completed");
  });

  test("a crash mid-job fails that job (engine_restarted), the engine comes back by itself", async () => {
    const build = standinInstalled(tmp.dir, "crash-once", { fault: "crash-at-step", faultStep: 2, faultTimes: 1, counterFile: `${tmp.dir}/manager-crash` });
    const { m, states } = manager([build]);
    await m.ensure(models);
    const id = await m.submit({ prompt: "boom", width: 64, height: 64, sample_params: { sample_steps: 5 } });
    const job = await until(m, id);
    expect(job.status).toBe("failed");
    expect(job.error?.code).toBe("engine_restarted");
    expect(job.error?.message).toContain("SIGSEGV");
    await waitFor("ready again", () => m.status().state === "ready");
    expect(states()).toContain("restarting");
    expect((await until(m, await m.submit({ prompt: "ok", width: 64, height: 64, sample_params: { sample_steps: 1 } }))).status).toBe("completed");
  });

  test("polling a job right after its engine was killed answers failed, never throws", async () => {
    const { m } = manager([standinInstalled(tmp.dir, "cpu", { stepMs: 100 })]);
    await m.ensure(models);
    const id = await m.submit({ prompt: "doomed", width: 64, height: 64, sample_params: { sample_steps: 50 } });
    await waitFor("generating", async () => (await m.poll(id)).status === "generating");
    process.kill(m.supervisor.running!.pid, "SIGKILL");
    const job = await m.poll(id);
    expect(job.status).toBe("failed");
    expect(job.error?.code).toBe("engine_restarted");
    expect(job.error?.message).toContain("SIGKILL");
    await waitFor("ready again", () => m.status().state === "ready");
  });

  test("a restart after a crash reads the flags again (an RPC worker gone drops out), and the next ensure keeps that engine", async () => {
    const { m, settings } = manager([standinInstalled(tmp.dir, "cpu", { stepMs: 100 })]);
    const cmdline = () => readFileSync(`/proc/${m.supervisor.running!.pid}/cmdline`, "utf8").split("\0");
    settings.flags = { ...settings.flags, threads: 2 };
    await m.ensure(models);
    const first = m.supervisor.running!;
    expect(cmdline()).toContain("-t");
    settings.flags = { ...settings.flags, threads: 0 }; // as the RPC coordinator drops a worker gone from --rpc-servers
    process.kill(first.pid, "SIGKILL");
    await waitFor("restarted", () => m.status().state === "ready" && (m.supervisor.running?.epoch ?? 0) > first.epoch);
    const restarted = m.supervisor.running!;
    expect(cmdline()).not.toContain("-t");
    await m.ensure(models);
    expect(m.supervisor.running!.epoch).toBe(restarted.epoch);
  });

  test("the engine runs with CUDA's devices numbered as nvidia-smi numbers them, unless the user chose otherwise", async () => {
    const environ = (pid: number) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    const { m } = manager([standinInstalled(tmp.dir, "cpu")]);
    await m.ensure(models);
    expect(environ(m.supervisor.running!.pid)).toContain("CUDA_DEVICE_ORDER=PCI_BUS_ID");
    const { engineEnv } = await import("../../engine/process/engine-env");
    expect(engineEnv({ CUDA_DEVICE_ORDER: "FASTEST_FIRST" }).CUDA_DEVICE_ORDER).toBe("FASTEST_FIRST");
  });

  test("ensure during a restart after a crash waits for it instead of starting over", async () => {
    const build = standinInstalled(tmp.dir, "crash-loop", { fault: "crash-at-step", faultStep: 1, startDelayMs: 100 });
    const { m, events } = manager([build]);
    await m.ensure(models);
    const first = m.supervisor.running!;
    await m.submit({ prompt: "boom", width: 64, height: 64 });
    await waitFor("restarting", () => m.status().state === "restarting");
    await m.ensure(models); // joins the running restart
    expect(m.status().state).toBe("ready");
    expect(m.supervisor.running!.epoch).toBe(first.epoch + 1);
    expect(events.filter((e) => e.type === "state" && e.status.state === "starting")).toHaveLength(1);
  });

  test("an out-of-memory job fails with OutOfMemory and a hint; the engine stays up", async () => {
    const { m } = manager([standinInstalled(tmp.dir, "oom", { fault: "oom", faultStep: 1 })]);
    await m.ensure(models);
    const pid = m.supervisor.running!.pid;
    const job = await until(m, await m.submit({ prompt: "big", width: 64, height: 64 }));
    expect(job.status).toBe("failed");
    expect(job.error?.code).toBe("out_of_memory");
    expect(job.error?.message).toContain("GPU memory use");
    expect(m.supervisor.running!.pid).toBe(pid);
  });

  test.each([
    ["damaged-model", "model_load_failed"],
    ["not-a-model", "unsupported_model"],
    ["unsupported-model", "unsupported_model"],
  ] as const)("a model that fails to load (%s) is no crash: reported at once, never retried, and the next start has no back-off", async (fault, code) => {
    const build = standinInstalled(tmp.dir, `load-${fault}`, { fault, faultTimes: 2, counterFile: `${tmp.dir}/count-${fault}` });
    const { m, states } = manager([build]);
    for (let i = 0; i < 2; i++) {
      const error = await m.ensure(models).catch((e) => e);
      expect(error.info.code).toBe(code);
    }
    await m.ensure(models);
    expect(m.status().state).toBe("ready");
    // One start per ensure: no "restarting" (a back-off) and no retry of the failed model.
    expect(states().filter((s) => s === "restarting")).toEqual([]);
    expect(states().filter((s) => s === "starting").length).toBe(3);
  });

  test("a missing model file fails ensure with ModelNotFound, without starting anything", async () => {
    const { m, states } = manager([standinInstalled(tmp.dir, "cpu")]);
    const error = await m.ensure({ ...models, model: `${tmp.dir}/missing.safetensors` }).catch((e) => e);
    expect(error.info.code).toBe("model_not_found");
    expect(m.status().state).toBe("failed");
    expect(states()).not.toContain("starting");
  });

  test("falls back to the next build and reports it; stop leaves nothing running", async () => {
    const vulkan = standinInstalled(tmp.dir, "vulkan", { fault: "missing-library" }, "vulkan");
    const cpu = standinInstalled(tmp.dir, "cpu");
    const { m } = manager([vulkan, cpu]);
    await m.ensure(models);
    expect(m.status().variant).toBe("cpu");
    const pid = m.supervisor.running!.pid;
    await m.stop();
    expect(m.status().state).toBe("stopped");
    expect(alive(pid)).toBe(false);
    await expect(m.submit({ prompt: "x" })).rejects.toThrow("not running");
  });
});
