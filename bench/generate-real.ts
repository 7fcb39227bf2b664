/**
 * bench:generate part 3: a picture through the app vs the same img_gen body
 * sent straight to a bare sd-server, both the real engine with the same
 * flags, interleaved (app, bare, app, bare…). See generate.ts.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { buildServerArgs } from "../engine/process/args";
import { freePort } from "../engine/process/port";
import { EngineManager } from "../engine/manager";
import type { EngineEvent, ImgGenBody } from "../engine/types";
import { galleryService } from "../gallery/service";
import { readEnv } from "../core/env";
import { silentLogger } from "../core/log";
import { startApp } from "../launcher/start";
import type { TaskQueue } from "../queue/queue";
import { queueService } from "../queue/service";
import { cpuSeconds, realEngine, useRealEngine } from "./real-engine";
import { oneBuildEngine } from "./one-build";

/** Straight to the sd-server on this port: POST img_gen, poll every 1 ms, decode the image; ms taken. */
export async function directTo(port: number, body: object): Promise<number> {
  const start = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/sdcpp/v1/img_gen`, { method: "POST", body: JSON.stringify(body) });
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    const job = (await (await fetch(`http://127.0.0.1:${port}/sdcpp/v1/jobs/${id}`)).json()) as { status: string; result?: { images: { b64_json: string }[] } };
    if (job.status === "completed") {
      for (const img of job.result!.images) Buffer.from(img.b64_json, "base64");
      return performance.now() - start;
    }
    if (job.status === "failed" || job.status === "cancelled") throw new Error(`direct job ${job.status}`);
    await Bun.sleep(1);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Phases of one app picture, ms after POST /api/tasks. */
type Phases = Record<"started" | "submitted" | "engineDone" | "jobRead" | "image" | "finished", number>;

async function waitReady(port: number, proc: { exited: Promise<number> }): Promise<void> {
  let exited = false;
  void proc.exited.then(() => (exited = true));
  for (let i = 0; i < 600 && !exited; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/`).then((r) => (r.body?.cancel(), true), () => false);
    if (ok) return;
    await Bun.sleep(100);
  }
  throw new Error("the bare sd-server did not start");
}

export async function realEngineOverhead(): Promise<void> {
  const real = realEngine();
  if (!real) {
    console.log("\n3. real engine: none installed (set BENCH_SD_SERVER and BENCH_MODEL): skipped");
    return;
  }
  const rounds = Number(process.env.BENCH_REAL_ROUNDS ?? 6);
  const steps = Number(process.env.BENCH_REAL_STEPS ?? 6);
  const size = Number(process.env.BENCH_REAL_SIZE ?? 64);
  const root = mkdtempSync(join(tmpdir(), "ed-bench-real-"));
  const models = join(root, "models", "stable-diffusion");
  mkdirSync(models, { recursive: true });
  mkdirSync(join(root, "models", "lora"), { recursive: true });
  const { modelName, build } = useRealEngine(real, models);
  let manager!: EngineManager;
  let queue!: TaskQueue;
  const sent: ImgGenBody[] = [];
  const app = await startApp({
    run: { server: true, noOpen: true, dataDir: root, port: await freePort(), host: "127.0.0.1" },
    env: { ...readEnv({}), edHome: undefined },
    services: [
      async (ctx) => {
        const service = await queueService({
          engine: (c) => {
            manager = oneBuildEngine(build, c);
            const submit = manager.submit.bind(manager);
            manager.submit = (body) => (sent.push(body), submit(body));
            return manager;
          },
        })(ctx);
        queue = service.queue;
        return service;
      },
      // As the executable composes it: the Gallery indexes each saved picture.
      galleryService({ imagePath: (id) => queue.store.image(id)?.path, rescanOnStart: false }),
    ],
    log: silentLogger,
  });
  let bare: ReturnType<typeof Bun.spawn> | null = null;
  try {
    // Phase marks for the app picture in flight.
    let t0 = 0;
    let marks: Partial<Phases> = {};
    const mark = (k: keyof Phases) => (marks[k] ??= performance.now() - t0);
    let finished: () => void = () => {};
    app.ctx.bus.subscribe((e) => {
      if (e.type === "task.started") mark("started");
      else if (e.type === "task.image") mark("image");
      else if (e.type === "task.finished" || e.type === "task.failed") {
        mark("finished");
        if (e.type === "task.failed") console.log(`   app task failed: ${JSON.stringify(e.data)}`);
        finished();
      }
    });
    manager.on((e: EngineEvent) => {
      if (e.type === "progress" && e.progress.kind === "done") mark("engineDone");
    });
    const poll = manager.poll.bind(manager);
    manager.poll = async (id) => {
      const job = await poll(id);
      if (job.status === "completed") mark("jobRead");
      return job;
    };
    const submit = manager.submit;
    manager.submit = async (body) => {
      const id = await submit(body);
      mark("submitted");
      return id;
    };
    const task = { prompt: "a lighthouse on a cliff at sunset", negative_prompt: "blurry", model: modelName, seed: 42, steps, width: size, height: size };
    const viaApp = async (): Promise<{ ms: number; phases: Phases }> => {
      marks = {};
      const done = new Promise<void>((r) => (finished = r));
      t0 = performance.now();
      const res = await fetch(new URL("/api/tasks", app.url), { method: "POST", body: JSON.stringify(task), headers: { "content-type": "application/json" } });
      if (res.status !== 201 && res.status !== 202 && res.status !== 200) throw new Error(`POST /api/tasks: HTTP ${res.status} ${await res.text()}`);
      await done;
      return { ms: performance.now() - t0, phases: marks as Phases };
    };
    await viaApp(); // starts the engine, loads the model: not counted
    // The bare engine: the same program and flags the app started, its own port, the body the app sent.
    const body = sent.at(-1)!;
    const port = await freePort();
    const modelSet = { model: join(models, modelName), loraDir: join(root, "models", "lora") };
    const argv = [real.server, ...buildServerArgs(app.ctx.config.config.engine, modelSet, port)];
    bare = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe" });
    // The bare engine's own "generate_image completed" line: from it to the result in hand is what polling costs there.
    let bareDoneAt = 0;
    for (const stream of [bare.stdout, bare.stderr] as ReadableStream<Uint8Array>[])
      void (async () => {
        const decoder = new TextDecoder();
        for await (const chunk of stream) if (/generate_image completed/.test(decoder.decode(chunk, { stream: true }))) bareDoneAt = performance.now();
      })();
    await waitReady(port, bare);
    await directTo(port, body); // warm-up
    const appMs: number[] = [];
    const bareMs: number[] = [];
    const appCpu: number[] = [];
    const bareCpu: number[] = [];
    const phases: Phases[] = [];
    const bareTail: number[] = [];
    const appEngine: number[] = [];
    const bareEngine: number[] = [];
    /** Runs one picture; pushes this process's and the engine's CPU ms for it. */
    const measured = async <T>(enginePid: number | undefined, cpu: number[], engineCpu: number[], fn: () => Promise<T>): Promise<T> => {
      const c0 = cpuSeconds();
      const e0 = cpuSeconds(enginePid);
      const out = await fn();
      const c1 = cpuSeconds();
      const e1 = cpuSeconds(enginePid);
      if (c0 !== null && c1 !== null) cpu.push((c1 - c0) * 1000);
      if (e0 !== null && e1 !== null) engineCpu.push((e1 - e0) * 1000);
      return out;
    };
    for (let i = 0; i < rounds; i++) {
      const a = await measured(manager.supervisor.running?.pid, appCpu, appEngine, viaApp);
      appMs.push(a.ms);
      phases.push(a.phases);
      const b0 = performance.now();
      const took = await measured(bare.pid, bareCpu, bareEngine, () => directTo(port, body));
      bareMs.push(took);
      bareTail.push(b0 + took - bareDoneAt);
    }
    const a = median(appMs);
    const b = median(bareMs);
    const flags = argv
      .slice(1)
      .filter((x) => x.startsWith("--") && !x.includes("listen") && x !== "--lora-model-dir")
      .join(" ");
    console.log(`\n3. real engine: ${real.server} with ${modelName}; ${size}×${size}, ${steps} steps, flags ${flags}`);
    console.log(`   ${rounds} interleaved rounds; load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
    console.log(`   bare sd-server : median ${b.toFixed(0)} ms per picture   (all: ${bareMs.map((x) => x.toFixed(0)).join(", ")})`);
    console.log(`   through the app: median ${a.toFixed(0)} ms per picture   (all: ${appMs.map((x) => x.toFixed(0)).join(", ")})`);
    const [bestApp, bestBare] = [Math.min(...appMs), Math.min(...bareMs)];
    console.log(
      `   ratio ${(a / b).toFixed(3)} (target ≤ 1.03), difference ${(a - b).toFixed(0)} ms per picture; ` +
        `best of each: app ${bestApp.toFixed(0)}, bare ${bestBare.toFixed(0)} ms, ratio ${(bestApp / bestBare).toFixed(3)}`,
    );
    // Round by round (app then bare, a few seconds apart) the other load on the machine is more alike than across the run.
    const pairedRatio = median(appMs.map((x, i) => x / bareMs[i]!));
    const pairedDifference = median(appMs.map((x, i) => x - bareMs[i]!));
    console.log(`   paired by round: median ratio ${pairedRatio.toFixed(3)}, median difference ${pairedDifference.toFixed(0)} ms`);
    if (appCpu.length) {
      console.log(
        `   this process's CPU per picture: app ${median(appCpu).toFixed(0)} ms (the app's own work), ` +
          `bare ${median(bareCpu).toFixed(0)} ms (the bare client's polling)`,
      );
    }
    if (appEngine.length)
      console.log(`   engine process CPU per picture: the app's ${median(appEngine).toFixed(0)} ms, the bare one ${median(bareEngine).toFixed(0)} ms`);
    const keys: (keyof Phases)[] = ["started", "submitted", "engineDone", "jobRead", "image", "finished"];
    console.log(`   app phases, median ms after POST: ${keys.map((k) => `${k} ${median(phases.map((p) => p[k] ?? NaN)).toFixed(1)}`).join(", ")}`);
    const gaps = keys.slice(1).map((k, i) => `${keys[i]}→${k} ${median(phases.map((p) => (p[k] ?? NaN) - (p[keys[i]!] ?? NaN))).toFixed(1)}`);
    console.log(`   app phase gaps, median ms: ${gaps.join(", ")}`);
    const appTail = median(phases.map((p) => p.finished - p.engineDone));
    console.log(
      `   from the engine's "completed" line to the picture: app ${appTail.toFixed(1)} ms (saved, indexed, finished), ` +
        `bare ${median(bareTail).toFixed(1)} ms (read and decoded)`,
    );
    const [appEngineDone, bareEngineDone] = [median(phases.map((p) => p.engineDone)), median(bareMs.map((m, i) => m - bareTail[i]!))];
    console.log(
      `   from the request to the engine's "completed" line (sampling and decoding): ` +
        `app ${appEngineDone.toFixed(0)} ms, bare ${bareEngineDone.toFixed(0)} ms`,
    );
  } finally {
    bare?.kill();
    await bare?.exited;
    await app.stop("bench");
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  await realEngineOverhead();
  process.exit(0);
}
