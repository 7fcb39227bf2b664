/**
 * Source builds end to end with the real CMake and C++ compiler: a tiny
 * upstream-shaped tree fetched from a local GitHub-like API, configured,
 * compiled (sd-server and sd-cli), started once by a supervisor before it is
 * committed, installed atomically; "latest" resolved to the release's tag; a
 * compile error, a build that does not start, and a cancel too.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildEngine, type BuildProgress } from "../../engine/build/build-engine";
import { BuildCancelled, BuildError } from "../../engine/build/runner";
import { startCheck } from "../../engine/build/start-check";
import { readInstall } from "../../engine/install/installed";
import { buildServerArgs } from "../../engine/process/args";
import { Supervisor } from "../../engine/process/supervisor";
import { EventBus } from "../../core/events/bus";
import { dummyModels, tempDir } from "../standin/fixtures";
import { cpuBuildOptions, MAIN_REPO, makeSourceFixture, serveGithub } from "./source-tree";
import { needBuildTools } from "../kit/needs";
import { videoModels } from "../video/fixtures";

setDefaultTimeout(120_000);
const haveTools = needBuildTools();
const tmp = tempDir();
const fixtures = haveTools
  ? [
      await makeSourceFixture("v-ok"),
      await makeSourceFixture("v-broken", { broken: true }),
      await makeSourceFixture("v-slow", { slow: true }),
      await makeSourceFixture("v-nostart", { noStart: true }),
      await makeSourceFixture("v-media", { media: true }),
    ]
  : [];
const flags = { flash_attention: false, offload_to_cpu: false, vae_tiling: false, vae_tile_size: 512, mmap: true, threads: 0 };
/** The start step as the app runs it: a supervisor starts the staged build with a model set and waits for its answer. */
const supervisedStart = () => startCheck({ models: () => dummyModels(tmp.dir), flags: () => flags, supervisor: { backoffMs: 50, stopGraceMs: 2_000, readyTimeoutMs: 15_000 } });
const gh = serveGithub(fixtures);
afterAll(() => {
  gh.stop();
  tmp.cleanup();
});

function opts(tag: string, onProgress?: (p: BuildProgress) => void, signal?: AbortSignal) {
  return { ...cpuBuildOptions(gh.apiBase, tmp.dir, tag), logFile: join(tmp.dir, "logs", `build-${tag}.log`), onProgress, signal };
}

describe.skipIf(!haveTools)("source build", () => {
  test("downloads, configures, compiles with progress in order, starts the staged build, installs atomically", async () => {
    const events: BuildProgress[] = [];
    const bus = new EventBus();
    const onBus: BuildProgress[] = [];
    bus.subscribe((e) => {
      if (e.type === "engine.build") onBus.push(e.data as BuildProgress);
    });
    const built = await buildEngine({ ...opts("v-ok", (p) => events.push(p)), bus, startCheck: supervisedStart() });
    const steps = events.map((e) => e.step).filter((s, i, a) => s !== a[i - 1]);
    expect(steps).toEqual(["download", "configure", "compile", "install", "start"]);
    const percents = events.filter((e) => e.step === "compile").map((e) => e.percent);
    expect(percents.length).toBeGreaterThan(1);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    expect(events.at(-1)).toMatchObject({ phase: "done", percent: 100 });
    expect(onBus).toEqual(events);
    expect(built.variant).toBe("built-cpu");
    expect(built.dir).toBe(join(tmp.dir, "engines", "v-ok", "built-cpu"));
    const record = readInstall(built.dir)!.record;
    // Kept only because it started and answered: marked good.
    expect(record).toMatchObject({ source: "build", backend: "cpu", good: true, tag: "v-ok" });
    expect(existsSync(join(built.dir, "bin", "sd-server"))).toBe(true);
    expect(Bun.spawnSync([join(built.dir, "bin", "sd-cli")]).stdout.toString()).toBe("sd-cli fixture 1\n");
    // The staged program was started with the model set and --listen-port, like the engine.
    const log = readFileSync(join(tmp.dir, "logs", "build-v-ok.log"), "utf8");
    expect(log).toContain("started and answered");
    expect(record.assets.map((a) => a.name)).toEqual([`${MAIN_REPO}@${fixtures[0]!.mainSha}`, `ggml-org/ggml@${fixtures[0]!.ggmlSha}`]);
    // Neither the staging folder nor the unpacked source and CMake build folder stay.
    expect(readdirSync(join(tmp.dir, "engines")).filter((n) => n.startsWith("."))).toEqual([]);
    expect(log).toContain("Built target sd-server");
    expect(log).toContain("Built target sd-cli");

    const sup = new Supervisor({ backoffMs: 50, stopGraceMs: 2_000, readyTimeoutMs: 15_000 });
    try {
      const running = await sup.start([built], (port) => buildServerArgs(flags, dummyModels(tmp.dir), port));
      expect((await fetch(`http://127.0.0.1:${running.port}/`)).status).toBe(200);
    } finally {
      await sup.stop();
    }

    // A second build, of release_tag "latest", resolves it to the release's tag (v-ok) and reuses the downloaded tarballs.
    const tarballRequests = gh.requests.filter((r) => r.includes("/tarball/")).length;
    const latest = await buildEngine(opts("latest"));
    expect(latest.dir).toBe(join(tmp.dir, "engines", "v-ok", "built-cpu"));
    expect(gh.requests).toContain("/repos/leejet/stable-diffusion.cpp/releases/latest");
    expect(gh.requests.filter((r) => r.includes("/tarball/")).length).toBe(tarballRequests);
    expect(existsSync(join(tmp.dir, "engines", "latest"))).toBe(false);
  });

  test("a tag that pins libwebp and libwebm: both fetched into thirdparty/, SD_WEBP and SD_WEBM on, sd-server offers webm and webp", async () => {
    const media = fixtures.find((f) => f.tag === "v-media")!;
    const built = await buildEngine(opts("v-media"));
    for (const lib of ["libwebp", "libwebm"]) {
      expect(gh.requests).toContain(`/repos/leejet/stable-diffusion.cpp/contents/thirdparty/${lib}?ref=${media.mainSha}`);
      expect(gh.requests).toContain(`/repos/webmproject/${lib}/tarball/${media.media[`thirdparty/${lib}`]}`);
    }
    const log = readFileSync(join(tmp.dir, "logs", "build-v-media.log"), "utf8");
    expect(log).toContain("-DSD_WEBP=ON");
    expect(log).toContain("-DSD_WEBM=ON");
    expect(readInstall(built.dir)!.record.assets.map((a) => a.name)).toContain(`webmproject/libwebp@${media.media["thirdparty/libwebp"]}`);
    // The built engine (the stand-in behind the fixture's program) offers what its build was configured with.
    const sup = new Supervisor({ backoffMs: 50, stopGraceMs: 2_000, readyTimeoutMs: 15_000 });
    try {
      const { models } = videoModels(tmp.dir);
      const set = { diffusionModel: join(models, "diffusion_models", "wan2.1_t2v_1.3B_fp16.safetensors"), loraDir: join(models, "lora") };
      const running = await sup.start([built], (port) => buildServerArgs(flags, set, port));
      const caps = (await (await fetch(`http://127.0.0.1:${running.port}/sdcpp/v1/capabilities`)).json()) as { output_formats_by_mode: Record<string, string[]> };
      expect(caps.output_formats_by_mode).toEqual({ vid_gen: ["webm", "webp", "avi"] });
    } finally {
      await sup.stop();
    }
    // A tag without them (v-ok): the contents API answers 404 for both, and the build has them off.
    expect(readFileSync(join(tmp.dir, "logs", "build-v-ok.log"), "utf8")).toContain("-DSD_WEBP=OFF");
  });

  test("a build that does not start fails at the start step with its output, and is not kept", async () => {
    const events: BuildProgress[] = [];
    const err = await buildEngine({ ...opts("v-nostart", (p) => events.push(p)), startCheck: supervisedStart() }).catch((e) => e);
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).step).toBe("start");
    expect((err as BuildError).logTail.join("\n")).toContain("cannot open the GPU device");
    expect(events.at(-1)).toMatchObject({ phase: "failed", step: "start", error: { step: "start" } });
    expect(existsSync(join(tmp.dir, "engines", "v-nostart", "built-cpu"))).toBe(false);
    expect(readdirSync(join(tmp.dir, "engines")).filter((n) => n.startsWith(".tmp-"))).toEqual([]);
    // Without a model set the start step runs `sd-server --help`: it fails the same way.
    const plain = await buildEngine(opts("v-nostart")).catch((e) => e);
    expect(plain).toMatchObject({ step: "start" });
    expect((plain as BuildError).logTail.join("\n")).toContain("cannot open the GPU device");
  });

  test("a compile error names the step and carries the log's last lines; nothing is installed", async () => {
    const events: BuildProgress[] = [];
    const err = await buildEngine(opts("v-broken", (p) => events.push(p))).catch((e) => e);
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).step).toBe("compile");
    expect((err as BuildError).logTail.join("\n")).toContain("this_is_not_cpp");
    expect(events.at(-1)).toMatchObject({ phase: "failed", error: { step: "compile" } });
    expect(existsSync(join(tmp.dir, "engines", "v-broken", "built-cpu"))).toBe(false);
    expect(existsSync(join(tmp.dir, "engines", ".build-v-broken-cpu"))).toBe(false);
  });

  test("cancel kills the build's process group and installs nothing", async () => {
    const ac = new AbortController();
    const err = await buildEngine(
      opts("v-slow", (p) => {
        if (p.step === "compile") setTimeout(() => ac.abort(), 300);
      }, ac.signal),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(BuildCancelled);
    expect(existsSync(join(tmp.dir, "engines", "v-slow", "built-cpu"))).toBe(false);
    const ps = Bun.spawnSync(["pgrep", "-f", "sleep 600"]).stdout.toString().trim();
    expect(ps).toBe("");
  });

  test("a tag that does not resolve fails at the download step", async () => {
    const err = await buildEngine(opts("v-missing")).catch((e) => e);
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).step).toBe("download");
  });
});
