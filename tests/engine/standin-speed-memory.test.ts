/**
 * The stand-in's step caching, devices and memory flags against what the real
 * CPU sd-server printed (tests/fixtures/sd-server/cache-stdout.log,
 * cache-refusals.log, memory-levels-stdout.log, list-devices-cpu.txt).
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../engine/process/port";
import { parseCache, startCache } from "../standin/cache";
import { FAST, dummyModels, tempDir, waitFor } from "../standin/fixtures";

setDefaultTimeout(60_000);
const CONTRACT = join(import.meta.dir, "../fixtures/sd-server");
const SOURCE = join(import.meta.dir, "../standin/sd-server.ts");
const recorded = (name: string) => readFileSync(join(CONTRACT, name), "utf8");
const tmp = tempDir("ed-standin-speed-");
const models = dummyModels(tmp.dir);
const procs: ReturnType<typeof Bun.spawn>[] = [];
afterAll(() => {
  for (const p of procs) p.kill();
  tmp.cleanup();
});

/** The stand-in as a child process; resolves once it listens (or has exited). */
async function run(extra: string[], env: Record<string, string> = {}) {
  const port = await freePort();
  const proc = Bun.spawn(["bun", SOURCE, "-m", models.model!, "--lora-model-dir", models.loraDir, "--listen-port", String(port), ...extra], {
    env: { ...process.env, STANDIN_START_DELAY_MS: String(FAST.startDelayMs), STANDIN_STEP_MS: "5", STANDIN_LOAD_MS: "1", STANDIN_DECODE_MS: "1", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  procs.push(proc);
  const text = { out: "", err: "" };
  void (async () => {
    for await (const c of proc.stdout as ReadableStream<Uint8Array>) text.out += new TextDecoder().decode(c);
  })();
  void (async () => {
    for await (const c of proc.stderr as ReadableStream<Uint8Array>) text.err += new TextDecoder().decode(c);
  })();
  await waitFor("listening or exited", () => text.out.includes("listening on") || proc.exitCode !== null);
  const base = `http://127.0.0.1:${port}`;
  const generate = async (body: object) => {
    const res = await fetch(`${base}/sdcpp/v1/img_gen`, { method: "POST", body: JSON.stringify({ prompt: "a red apple", width: 64, height: 64, seed: 42, ...body }) });
    if (res.status !== 202) return { status: res.status, body: await res.json() };
    const { id } = (await res.json()) as { id: string };
    return waitFor("job done", async () => {
      const job = (await (await fetch(`${base}/sdcpp/v1/jobs/${id}`)).json()) as { status: string };
      return job.status === "completed" || job.status === "failed" ? { status: 200, body: job } : undefined;
    });
  };
  return { proc, text, generate };
}

/** "[INFO ] file.cpp:12  - message" → "file.cpp:12 - message" (the padding varies with the location's length). */
const lineOf = (text: string, pattern: RegExp) => {
  const line = text.split(/[\n\r]/).find((l) => pattern.test(l));
  return line?.replace(/^\[stderr\] /, "").replace(/\s+-\s/, " - ").trim();
};

describe("step caching", () => {
  test("spectrum's schedule is upstream's: the recorded run's reused steps (bars at thousands of it/s) are the stand-in's", () => {
    const log = recorded("cache-stdout.log");
    const spectrumRun = log.slice(log.indexOf("Spectrum enabled"), log.indexOf("Spectrum skipped"));
    const bars = [...spectrumRun.matchAll(/\| (\d+)\/20 - ([\d.]+)(it\/s|s\/it)/g)];
    const fast = bars.filter((m) => m[3] === "it/s" && Number(m[2]) > 1000).map((m) => Number(m[1]));
    const parsed = parseCache("spectrum", "");
    if (!parsed.ok) throw new Error("spectrum refused");
    const cache = startCache(parsed.params, 20, () => {})!;
    const ours = Array.from({ length: 20 }, (_, i) => i + 1).filter((step) => cache.skip(step));
    expect(ours).toEqual(fast);
    expect(ours).toHaveLength(9);
  });

  test("the same lines as the real one: enabled, skipped; the UNet warning for easycache; the refusals", async () => {
    const s = await run([]);
    expect((await s.generate({ sample_params: { sample_steps: 20 }, cache_mode: "spectrum" })).status).toBe(200);
    expect((await s.generate({ sample_params: { sample_steps: 20 }, cache_mode: "ucache", cache_option: "threshold=1.5" })).status).toBe(200);
    expect((await s.generate({ sample_params: { sample_steps: 8 }, cache_mode: "easycache", cache_option: "threshold=0.2" })).status).toBe(200);
    expect((await s.generate({ sample_params: { sample_steps: 4 }, cache_mode: "ucache" })).status).toBe(200);
    const real = recorded("cache-stdout.log") + recorded("cache-refusals.log");
    for (const pattern of [/Spectrum enabled/, /Spectrum skipped/, /UCache enabled - threshold: 1\.500/, /EasyCache requested/, /UCache completed without/]) {
      expect(lineOf(s.text.out, pattern)).toBe(lineOf(real, pattern)!);
    }
    // ucache decides by measured change: the stand-in's count is its own, the line's form is upstream's.
    expect(lineOf(s.text.out, /UCache skipped/)).toMatch(/^\[INFO \] sample-cache\.cpp:318 - UCache skipped \d+\/20 steps \(\d\.\d\dx estimated speedup\)$/);
    for (const [body, pattern] of [[{ cache_mode: "turbo" }, /invalid cache mode/], [{ cache_mode: "ucache", cache_option: "bogus=1" }, /unknown cache parameter/]] as const) {
      const res = await s.generate(body);
      expect(res).toEqual({ status: 400, body: { error: "invalid generation parameters" } });
      // The [ERROR] line goes to stderr before the answer, but the pipe may be read after it.
      await waitFor(`stderr ${pattern}`, () => lineOf(s.text.err, pattern));
      expect(lineOf(s.text.err, pattern)).toBe(lineOf(real, pattern)!);
    }
  });
});

describe("devices and memory flags", () => {
  test("--list-devices prints the recorded CPU line and exits 0; a GPU budget adds CUDA0", async () => {
    const cpu = Bun.spawnSync(["bun", SOURCE, "--list-devices"]);
    expect(cpu.exitCode).toBe(0);
    expect(cpu.stdout.toString()).toBe(recorded("list-devices-cpu.txt"));
    const gpu = Bun.spawnSync(["bun", SOURCE, "--list-devices"], { env: { ...process.env, STANDIN_GPU_MEMORY_MB: "8192" } });
    expect(gpu.stdout.toString()).toBe("CUDA0\tNVIDIA Stand-in GPU\nCPU\tAMD EPYC\n");
  });

  test("auto-fit and a negative --max-vram on a CPU build warn as recorded; an unknown --backend fails the start", async () => {
    const real = recorded("memory-levels-stdout.log");
    const auto = await run(["--auto-fit", "--backend", "CPU"]);
    expect(lineOf(auto.text.out, /no usable GPU/)).toBe(lineOf(real, /no usable GPU/)!);
    expect(lineOf(auto.text.out, /ignoring --backend/)).toBe(lineOf(real, /ignoring --backend/)!);
    const veryLow = await run(["--offload-to-cpu", "--params-backend", "te=disk,vae=disk", "--max-vram", "-1", "--stream-layers"]);
    expect(lineOf(veryLow.text.out, /graph splitting/)).toBe(lineOf(real, /graph splitting/)!);
    expect((await veryLow.generate({ sample_params: { sample_steps: 2 } })).body).toMatchObject({ status: "completed" });
    const bad = await run(["--backend", "foo0"]);
    expect(await bad.proc.exited).toBe(1);
    await waitFor("the backend error on stderr", () => lineOf(bad.text.err, /backend config failed/));
    expect(lineOf(bad.text.err, /backend config failed/)).toBe(lineOf(real, /backend config failed/)!);
  });

  test("with a GPU budget: auto-fit prints its plan; Fastest runs out of memory where Automatic fits", async () => {
    const env = { STANDIN_GPU_MEMORY_MB: "800" };
    const auto = await run(["--auto-fit"], env);
    expect(auto.text.out).toContain("auto-fit plan (time-share: params load per phase and free after):");
    expect(auto.text.out).toMatch(/diffusion {4}params {4}617 MiB, compute reserve {3}360 MiB -> CPU/);
    expect((await auto.generate({ sample_params: { sample_steps: 2 } })).body).toMatchObject({ status: "completed" });
    const fastest = await run([], env);
    expect((await fastest.generate({ sample_params: { sample_steps: 2 } })).body).toMatchObject({ status: "failed" });
    await waitFor("the out-of-memory lines", () => fastest.text.err.includes("cudaMalloc failed: out of memory"));
  });
});
