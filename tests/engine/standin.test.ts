/** The stand-in honours the recorded sd-server contract (tests/fixtures/sd-server/). */
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../engine/process/port";
import { ProgressReader } from "../../engine/process/progress";
import { FAST, dummyModels, tempDir, waitFor } from "../standin/fixtures";
import { packStandin, packStandinZip } from "../standin/pack";
import { parseArgs } from "../standin/flags";
import { readPngText } from "../standin/png";

const CONTRACT = join(import.meta.dir, "../fixtures/sd-server");
const SOURCE = join(import.meta.dir, "../standin/sd-server.ts");
setDefaultTimeout(60_000);
const tmp = tempDir();
const models = dummyModels(tmp.dir);

interface Server {
  base: string;
  proc: ReturnType<typeof Bun.spawn>;
  stdout: () => string;
  stderr: () => string;
}

const servers: Server[] = [];
async function serve(env: Record<string, string | number> = {}, extra: string[] = []): Promise<Server> {
  const port = await freePort();
  const vars = Object.fromEntries(Object.entries({ ...FAST, ...env }).map(([k, v]) => [k.startsWith("STANDIN_") ? k : `STANDIN_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`, String(v)]));
  const proc = Bun.spawn(["bun", SOURCE, "-m", models.model!, "--lora-model-dir", models.loraDir, "--listen-port", String(port), ...extra], {
    env: { ...process.env, ...vars },
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  let err = "";
  (async () => {
    for await (const c of proc.stdout as ReadableStream<Uint8Array>) out += new TextDecoder().decode(c);
  })();
  (async () => {
    for await (const c of proc.stderr as ReadableStream<Uint8Array>) err += new TextDecoder().decode(c);
  })();
  const base = `http://127.0.0.1:${port}`;
  await waitFor("GET / to answer", () => fetch(base).then((r) => r.ok).catch(() => false));
  const server = { base, proc, stdout: () => out, stderr: () => err };
  servers.push(server);
  return server;
}

const post = (s: Server, path: string, body: unknown) => fetch(s.base + path, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });
const getJob = async (s: Server, id: string) => (await (await fetch(`${s.base}/sdcpp/v1/jobs/${id}`)).json()) as Record<string, any>;
async function finished(s: Server, id: string) {
  return waitFor(`job ${id} to finish`, async () => {
    const job = await getJob(s, id);
    return ["completed", "failed", "cancelled"].includes(job.status) ? job : undefined;
  });
}

let main: Server;
beforeAll(async () => {
  main = await serve({}, ["-v"]);
});
afterAll(() => {
  for (const s of servers) s.proc.kill("SIGKILL");
  tmp.cleanup();
});

describe("stand-in sd-server", () => {
  test("start-up dump and the listening line look like the recorded ones", () => {
    const out = main.stdout();
    expect(out).toStartWith("[DEBUG] main.cpp:82   - version: stable-diffusion.cpp version unknown, commit unknown\n");
    expect(out).toContain(`  lora_model_dir: "${models.loraDir}",`);
    expect(out).toMatch(/\[INFO \] main\.cpp:148  - listening on: http:\/\/127\.0\.0\.1:\d+\n/);
  });

  test("without -v, like sd.cpp's log_print: no DEBUG lines or dumps, but INFO lines and the bars", async () => {
    const quiet = await serve();
    const id = ((await (await post(quiet, "/sdcpp/v1/img_gen", { prompt: "secret prompt", width: 64, height: 64, sample_params: { sample_steps: 2 } })).json()) as any).id;
    await finished(quiet, id);
    await waitFor("the last line", () => quiet.stdout().includes("generate_image completed in"));
    const out = quiet.stdout();
    expect(out).toStartWith("[INFO ] stable-diffusion.cpp:713  - loading model from '");
    expect(out).not.toContain("[DEBUG]");
    expect(out).not.toContain("secret prompt");
    expect(out).toMatch(/\| 2\/2 - [\d.]+it\/s\x1b\[K\n/);
  });

  test("capabilities have the recorded shape, list the LoRAs and the model", async () => {
    const recorded = JSON.parse(readFileSync(join(CONTRACT, "capabilities.json"), "utf8"));
    const caps = (await (await fetch(`${main.base}/sdcpp/v1/capabilities`)).json()) as Record<string, any>;
    expect(Object.keys(caps).sort()).toEqual(Object.keys(recorded).sort());
    expect(Object.keys(caps.defaults).sort()).toEqual(Object.keys(recorded.defaults).sort());
    expect(caps.samplers).toEqual(recorded.samplers);
    expect(caps.schedulers).toEqual(recorded.schedulers);
    expect(caps.features).toEqual(recorded.features);
    expect(caps.model).toEqual({ name: "sd-test.safetensors", path: models.model, stem: "sd-test" });
    expect(caps.loras).toEqual([{ name: "detail", path: "detail.safetensors" }]);
  });

  test("LoRA answers are the recorded real sd-server's (lora-paths.json): listing, 202/400 per path, stderr line", async () => {
    const recorded = JSON.parse(readFileSync(join(CONTRACT, "lora-paths.json"), "utf8"));
    mkdirSync(join(models.loraDir, "sub"), { recursive: true });
    for (const f of ["old.ckpt", "sub/film.safetensors"]) writeFileSync(join(models.loraDir, f), "x");
    try {
      const caps = (await (await fetch(`${main.base}/sdcpp/v1/capabilities`)).json()) as Record<string, any>;
      expect(caps.loras).toEqual(recorded.capabilities_loras);
      const errorsBefore = main.stderr().split(recorded.stderr_line).length;
      let refused = 0;
      for (const c of recorded.submit as { path: string; status: number; body?: unknown }[]) {
        const path = c.path.replace("LORA_DIR", models.loraDir);
        const res = await post(main, "/sdcpp/v1/img_gen", { prompt: "x", width: 64, height: 64, sample_params: { sample_steps: 1 }, lora: [{ path, multiplier: 0.5 }] });
        const answer = (await res.json()) as any;
        expect([path, res.status]).toEqual([path, c.status]);
        if (c.body) expect(answer).toEqual(c.body);
        else await finished(main, answer.id);
        if (c.status === 400) refused++;
      }
      // Linked folders are not entered, linked files are listed, extensions compared in lower case, byte order.
      const outside = join(tmp.dir, "outside-loras");
      mkdirSync(outside, { recursive: true });
      writeFileSync(join(outside, "far.safetensors"), "x");
      symlinkSync(outside, join(models.loraDir, "linked"));
      symlinkSync(join(outside, "far.safetensors"), join(models.loraDir, "far-link.safetensors"));
      writeFileSync(join(models.loraDir, "UPPER.PTH"), "x");
      const linked = (await (await fetch(`${main.base}/sdcpp/v1/capabilities`)).json()) as Record<string, any>;
      for (const f of ["linked", "far-link.safetensors", "UPPER.PTH"]) rmSync(join(models.loraDir, f), { force: true });
      expect(linked.loras).toEqual(recorded.links_and_case.capabilities_loras);
      const notArray = await post(main, "/sdcpp/v1/img_gen", recorded.lora_not_an_array.body);
      expect([notArray.status, ((await notArray.json()) as any).error]).toEqual([recorded.lora_not_an_array.status, recorded.lora_not_an_array.error]);
      await waitFor("the stderr lines", () => main.stderr().split(recorded.stderr_line).length - errorsBefore === refused + 1);
    } finally {
      rmSync(join(models.loraDir, "sub"), { recursive: true, force: true });
      rmSync(join(models.loraDir, "old.ckpt"), { force: true });
    }
  });

  test("LoRAs as upstream's refresh_lora_cache lists them; lora[].path only as listed, else 400 and `invalid lora`", async () => {
    mkdirSync(join(models.loraDir, "sub", "deeper"), { recursive: true });
    const extra = ["sub/deeper/style.PTH", "sub/film.gguf", "old.ckpt", "weights.bin", "plain.sft", "sub/notes.txt"];
    for (const f of extra) writeFileSync(join(models.loraDir, f), "x");
    try {
      const caps = (await (await fetch(`${main.base}/sdcpp/v1/capabilities`)).json()) as Record<string, any>;
      expect(caps.loras).toEqual([
        { name: "detail", path: "detail.safetensors" },
        { name: "style", path: "sub/deeper/style.PTH" },
        { name: "film", path: "sub/film.gguf" },
      ]);
      const submit = async (path: string) => {
        const res = await post(main, "/sdcpp/v1/img_gen", { prompt: "x", width: 64, height: 64, sample_params: { sample_steps: 1 }, lora: [{ path, multiplier: 0.5 }] });
        const answer = (await res.json()) as any;
        if (answer.id) await finished(main, answer.id);
        return res.status;
      };
      expect(await submit("detail.safetensors")).toBe(202);
      expect(await submit("sub/film.gguf")).toBe(202);
      for (const refused of [join(models.loraDir, "detail.safetensors"), "detail", "old.ckpt", "sub\\film.gguf", "./detail.safetensors"]) expect(await submit(refused)).toBe(400);
      // stderr reaches the test through a pipe: wait for the line, a late one is no failure.
      await waitFor("the invalid lora line", () => /\[ERROR\] common\.cpp:2096 - invalid lora\n/.test(main.stderr()));
    } finally {
      rmSync(join(models.loraDir, "sub"), { recursive: true, force: true });
      for (const f of ["old.ckpt", "weights.bin", "plain.sft"]) rmSync(join(models.loraDir, f), { force: true });
    }
  });

  test("hires denoising strength outside (0, 1] is refused as upstream's SDGenerationParams::validate does: 400 and the [ERROR] line", async () => {
    const hires = (h: object) => ({ prompt: "h", width: 64, height: 64, sample_params: { sample_steps: 1 }, hires: { enabled: true, upscaler: "Latent", scale: 2, ...h } });
    for (const bad of [{ denoising_strength: 0 }, { denoising_strength: -0.5 }, { denoising_strength: 1.5 }]) {
      const res = await post(main, "/sdcpp/v1/img_gen", hires(bad));
      expect({ bad, status: res.status, body: await res.json() }).toEqual({ bad, status: 400, body: { error: "invalid generation parameters" } });
    }
    const line = /\[ERROR\] common\.cpp:2453 - error: hires denoising strength must be in \(0\.0, 1\.0\]\n/;
    await waitFor("the hires strength line on stderr", () => line.test(main.stderr()));
    expect((await post(main, "/sdcpp/v1/img_gen", hires({ steps: -1, denoising_strength: 0.5 }))).status).toBe(400);
    // Not enabled: the strength is not checked; the smallest positive one is taken.
    for (const ok of [hires({ denoising_strength: 0.01 }), { ...hires({ denoising_strength: 0 }), hires: { enabled: false, denoising_strength: 0 } }]) {
      const res = await post(main, "/sdcpp/v1/img_gen", ok);
      expect(res.status).toBe(202);
      await finished(main, ((await res.json()) as any).id);
    }
  });

  /** Totals of the finished sampling bars (`|====| N/N`), in order. */
  const samplingBars = (text: string) => [...text.matchAll(/\|[=> ]{50}\| (\d+)\/(\d+) - /g)].filter((m) => m[1] === m[2]).map((m) => Number(m[2]));
  /** The INFO messages of a job, without file:line and timings. */
  const infoLines = (text: string, pattern: RegExp) => text.split(/\r|\n/).map((l) => /^\[INFO \] \S+\s*- (.*)$/.exec(l)?.[1]).filter((m): m is string => !!m && pattern.test(m));

  test.each([
    ["hires", { prompt: "hires", width: 64, height: 64, seed: 1, sample_params: { sample_steps: 3 }, hires: { enabled: true, upscaler: "Lanczos", scale: 2, steps: 2, denoising_strength: 0.5 } }, /^hires |^target t_enc/],
    ["img2img", { prompt: "i2i", width: 64, height: 64, seed: 1, sample_params: { sample_steps: 8 }, init_image: "iVBORw0KGgo=", strength: 0.5 }, /^hires |^target t_enc|^IMG2IMG/],
  ] as const)("%s: sampling bars and step lines as the recorded sd-server printed them", async (name, body, lines) => {
    const recorded = readFileSync(join(CONTRACT, `${name}-stdout.log`), "utf8");
    const before = main.stdout().length;
    const id = ((await (await post(main, "/sdcpp/v1/img_gen", body)).json()) as any).id;
    expect((await finished(main, id)).status).toBe("completed");
    const printed = main.stdout().slice(before);
    expect(samplingBars(recorded).length).toBeGreaterThan(0);
    expect(samplingBars(printed)).toEqual(samplingBars(recorded));
    expect(infoLines(printed, lines).map((l) => l.replace(/, taking [\d.]+s$/, ""))).toEqual(infoLines(recorded, lines).map((l) => l.replace(/, taking [\d.]+s$/, "")));
  });

  test("submit → 202 with the recorded fields; poll → completed with a PNG carrying parameters", async () => {
    const res = await post(main, "/sdcpp/v1/img_gen", { prompt: "a cat", negative_prompt: "dog", width: 60, height: 64, seed: 5, sample_params: { sample_steps: 500 } });
    expect(res.status).toBe(202);
    const submitted = (await res.json()) as Record<string, any>;
    const recorded = JSON.parse(readFileSync(join(CONTRACT, "img_gen-submit-202.json"), "utf8"));
    expect(Object.keys(submitted).sort()).toEqual(Object.keys(recorded).sort());
    expect(submitted.id).toMatch(/^job_[0-9a-f]+_\d{8}$/);
    expect(submitted.poll_url).toBe(`/sdcpp/v1/jobs/${submitted.id}`);
    const job = await finished(main, submitted.id);
    expect(job.status).toBe("completed");
    expect(Object.keys(job).sort()).toEqual(Object.keys(JSON.parse(readFileSync(join(CONTRACT, "job-completed.json"), "utf8"))).sort());
    const png = Buffer.from(job.result.images[0].b64_json, "base64");
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(png.readUInt32BE(16)).toBe(64); // 60 rounded up to 64
    const params = readPngText(png).parameters!;
    expect(params).toStartWith("a cat\nNegative prompt: dog\nSteps: 100, "); // clamped to [1,100]
    expect(JSON.parse(params.slice(params.indexOf("SDCPP: ") + 7)).seed).toBe(5);
  }, 30_000);

  test("same seed and parameters → byte-identical; batch of N uses seed..seed+N-1", async () => {
    const body = { prompt: "p", width: 64, height: 64, seed: 42, sample_params: { sample_steps: 2 } };
    const one = await finished(main, ((await (await post(main, "/sdcpp/v1/img_gen", body)).json()) as any).id);
    const batch = await finished(main, ((await (await post(main, "/sdcpp/v1/img_gen", { ...body, batch_count: 3 })).json()) as any).id);
    const other = await finished(main, ((await (await post(main, "/sdcpp/v1/img_gen", { ...body, seed: 43 })).json()) as any).id);
    expect(batch.result.images).toHaveLength(3);
    expect(batch.result.images[0].b64_json).toBe(one.result.images[0].b64_json);
    expect(batch.result.images[1].b64_json).toBe(other.result.images[0].b64_json);
    expect(batch.result.images[2].b64_json).not.toBe(other.result.images[0].b64_json);
    const seeds = batch.result.images.map((i: any) => /Seed: (\d+)/.exec(readPngText(Buffer.from(i.b64_json, "base64")).parameters!)![1]);
    expect(seeds).toEqual(["42", "43", "44"]);
  });

  test("a non-ASCII prompt goes into tEXt as UTF-8 bytes, as sd.cpp writes its std::string", async () => {
    const job = await finished(main, ((await (await post(main, "/sdcpp/v1/img_gen", { prompt: "café 猫", width: 64, height: 64, sample_params: { sample_steps: 1 } })).json()) as any).id);
    const png = Buffer.from(job.result.images[0].b64_json, "base64");
    expect(png.includes(Buffer.from("parameters\0café 猫\n", "utf8"))).toBe(true);
  });

  test("bad input: 400 with {error} as the real server words it", async () => {
    const cases: [unknown, string][] = [
      ["", "empty body"],
      ["{not json", "invalid json"],
      [{ prompt: "x", sample_params: { sample_method: "nope" } }, "invalid generation parameters"],
      [{ prompt: "x", lora: [{ path: "missing", multiplier: 1 }] }, "invalid generation parameters"],
      [{ prompt: "x", lora: { path: "detail.safetensors" } }, "invalid generation parameters"],
    ];
    for (const [body, error] of cases) {
      const res = await post(main, "/sdcpp/v1/img_gen", body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).error).toBe(error);
    }
    const jpeg = await post(main, "/sdcpp/v1/img_gen", { prompt: "x", output_format: "jpeg" });
    expect(jpeg.status).toBe(400);
    // Wrong types are ignored, and a LoRA by its listed path is accepted.
    expect((await post(main, "/sdcpp/v1/img_gen", { prompt: "x", width: "big", sample_params: { sample_steps: 1 }, lora: [{ path: "detail.safetensors", multiplier: 0.5 }] })).status).toBe(202);
  });

  test("unknown job 404; cancel: 409 while generating, cancelled while queued", async () => {
    expect((await fetch(`${main.base}/sdcpp/v1/jobs/job_0_00000099`)).status).toBe(404);
    expect(((await (await fetch(`${main.base}/sdcpp/v1/jobs/job_0_00000099`)).json()) as any).error).toBe("job not found");
    const long = ((await (await post(main, "/sdcpp/v1/img_gen", { prompt: "long", width: 64, height: 64, sample_params: { sample_steps: 60 } })).json()) as any).id;
    const queued = ((await (await post(main, "/sdcpp/v1/img_gen", { prompt: "next", width: 64, height: 64 })).json()) as any).id;
    await waitFor("generating", async () => (await getJob(main, long)).status === "generating");
    expect((await getJob(main, queued)).queue_position).toBe(1);
    const busy = await post(main, `/sdcpp/v1/jobs/${long}/cancel`, "");
    expect(busy.status).toBe(409);
    const cancel = await post(main, `/sdcpp/v1/jobs/${queued}/cancel`, "");
    expect(cancel.status).toBe(200);
    const cancelled = (await cancel.json()) as any;
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.error).toEqual({ code: "cancelled", message: "job cancelled by client" });
    expect((await finished(main, long)).status).toBe("completed");
  }, 30_000);

  test("stdout while generating uses the recorded bar and timing formats", async () => {
    const sample = readFileSync(join(CONTRACT, "sd-server-stdout-sample.log"), "utf8");
    const before = main.stdout().length;
    await finished(main, ((await (await post(main, "/sdcpp/v1/img_gen", { prompt: "bars", width: 64, height: 64, sample_params: { sample_steps: 3 } })).json()) as any).id);
    await waitFor("the last line", () => main.stdout().includes("generate_image completed in", before));
    const out = main.stdout().slice(before);
    const samplingBar = /\r {2}\|[=> ]{50}\| \d+\/\d+ - [\d.]+(it\/s|s\/it)\x1b\[K/g;
    const loadBar = /\r {2}\|[# ]{50}\| \d+\/\d+ - [\d.]+MB\/s\x1b\[K/;
    expect(sample.match(samplingBar)!.length).toBeGreaterThan(0);
    expect(out.match(samplingBar)).toHaveLength(3);
    for (const re of [/\[INFO \] stable-diffusion\.cpp:5628 - generate_image 64x64\n/, /sampling completed, taking [\d.]+s\n/, /decoding 1 latents\n/, /generate_image completed in [\d.]+s\n/]) {
      expect(sample).toMatch(re);
      expect(out).toMatch(re);
    }
    expect(sample).toMatch(loadBar);
    const reader = new ProgressReader();
    const kinds = reader.push(out).flatMap((i) => (i.progress ? [i.progress.kind] : []));
    expect(kinds.filter((k) => k === "sampling")).toHaveLength(3);
    expect(kinds.at(-1)).toBe("done");
  });

  test("finished jobs expire (410) after the TTL; 429 when the pending cap is reached", async () => {
    // A TTL of 3 s: the poll must see the job completed before it expires, also on a loaded machine (1 s was missed once).
    const s = await serve({ jobTtlS: 3, maxPending: 2, stepMs: 200 });
    const a = ((await (await post(s, "/sdcpp/v1/img_gen", { prompt: "a", width: 64, height: 64, sample_params: { sample_steps: 3 } })).json()) as any).id;
    await post(s, "/sdcpp/v1/img_gen", { prompt: "b", width: 64, height: 64, sample_params: { sample_steps: 1 } });
    const full = await post(s, "/sdcpp/v1/img_gen", { prompt: "c" });
    expect(full.status).toBe(429);
    expect(await full.json()).toEqual({ error: "job queue is full" });
    await finished(s, a);
    const gone = await waitFor("410", async () => {
      const res = await fetch(`${s.base}/sdcpp/v1/jobs/${a}`);
      return res.status === 410 ? res : undefined;
    }, 8_000);
    expect(await gone.json()).toEqual({ error: "job expired" });
  }, 30_000);

  test("every flag of the recorded --help is accepted, with a value where it takes one", () => {
    const help = readFileSync(join(CONTRACT, "sd-server-help.txt"), "utf8");
    const flags = [...help.matchAll(/^ {2}(?:(-\w), )?(--[\w-]+)( <\w+>)?/gm)];
    expect(flags.length).toBeGreaterThan(140);
    for (const [, short, long, typed] of flags) {
      for (const name of [short, long].filter(Boolean) as string[]) {
        if (typed) {
          // A typed flag needs its value, like the real parser.
          expect(() => parseArgs([name])).toThrow("invalid parameter for argument");
          expect(parseArgs([name, "1"]).get(long!)).toEqual(["1"]);
        } else {
          const parsed = (() => {
            try {
              return parseArgs([name, "1"]);
            } catch {
              return parseArgs([name]);
            }
          })();
          expect(parsed.has(long!)).toBe(true);
        }
      }
    }
  });

  test("unknown flags exit 1 like the real binary; no model is an error", async () => {
    const bad = Bun.spawnSync(["bun", SOURCE, "--no-such-flag"], { stderr: "pipe" });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr.toString()).toContain("error: unknown argument: --no-such-flag");
    const none = Bun.spawnSync(["bun", SOURCE, "--listen-port", "1"], { stderr: "pipe" });
    expect(none.exitCode).toBe(1);
    expect(none.stderr.toString()).toContain("the following arguments are required: model_path/diffusion_model");
  });

  test("the OOM switch prints a CUDA out-of-memory line and fails the job", async () => {
    const s = await serve({ fault: "oom", faultStep: 1 });
    const job = await finished(s, ((await (await post(s, "/sdcpp/v1/img_gen", { prompt: "x", width: 64, height: 64 })).json()) as any).id);
    expect(job.status).toBe("failed");
    expect(job.error).toEqual({ code: "generation_failed", message: "generate_image returned no results" });
    await waitFor("the OOM line on stderr", () => s.stderr().includes("cudaMalloc failed: out of memory"));
  });

  test("packs into a release zip whose sd-server wrapper runs the bundled program", async () => {
    const dir = join(tmp.dir, "packed");
    const server = await packStandin(dir, { startDelayMs: 50 });
    const help = Bun.spawnSync([server, "--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout.toString()).toContain("stable-diffusion.cpp version unknown");
    const zip = join(tmp.dir, "sd-master-test-bin-Linux-Ubuntu-24.04-x86_64.zip");
    await packStandinZip(zip, { workDir: join(tmp.dir, "zipwork"), config: { fault: "missing-library" } });
    const list = Bun.spawnSync(["unzip", "-Z", "-l", zip]).stdout.toString();
    expect(list).toMatch(/-rwx.* sd-server\n/);
    expect(list).toContain("sd-server.js");
    expect(list).toContain("standin.json");
  });
});
