/**
 * The app builds the engine by itself where no release build runs: the real
 * app (engine service with the real provider on a recorded Debian 12 machine,
 * glibc too old for every release build) over a real socket. With the tools
 * there the first start builds (source downloads, build steps, state
 * installed built-cpu) and a later start does not build again; with cmake
 * missing the engine says what to install and GET /build is "waiting" until
 * the Engine tab's Check again starts it; a failed build is not repeated by
 * the next start, only said again. On Linux NVIDIA with nvcc, where a
 * release build runs, building is only offered.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { BuildProgress } from "../../engine/build/build-engine";
import { SourceBuilder } from "../../engine/build/builder";
import { systemProbes } from "../../engine/build/toolchain";
import { detectHardware } from "../../engine/detect/detect";
import { recordedProbeIO } from "../../engine/detect/probe-io";
import { readInstall } from "../../engine/install/installed";
import { createBuildProvider } from "../../engine/install/provider";
import { engineParts } from "../../engine/service";
import type { Config } from "../../core/config/schema";
import { readEnv } from "../../core/env";
import type { BusEvent } from "../../core/events/bus";
import { silentLogger } from "../../core/log";
import { startApp, type RunningApp } from "../../launcher/start";
import { probeFixtures } from "../fixtures/probes/fixtures";
import { tempDir, waitFor } from "../standin/fixtures";
import { serveRelease } from "../ui-engine/harness";
import { makeSourceFixture, serveGithub } from "./source-tree";
import { needBuildTools } from "../kit/needs";

setDefaultTimeout(120_000);
const haveTools = needBuildTools();
const TAG = "master-901-ddddddd";
const tmp = tempDir();
const release = serveRelease(TAG, {
  "sd-master-ddddddd-bin-Linux-Ubuntu-24.04-x86_64.zip": new Uint8Array(16),
  "sd-master-ddddddd-bin-Linux-Ubuntu-24.04-x86_64-vulkan.zip": new Uint8Array(16),
});
const gh = serveGithub(haveTools ? [await makeSourceFixture("v-auto"), await makeSourceFixture("v-auto-broken", { broken: true })] : []);
afterAll(() => {
  release.stop();
  gh.stop();
  tmp.cleanup();
});

const recording = (name: string) => probeFixtures().find(([n]) => n === name)![1].recording;

interface Started {
  app: RunningApp;
  events: BusEvent[];
  engine: ReturnType<ReturnType<typeof engineParts>["engine"]>;
  api(path: string, init?: RequestInit): Promise<any>;
}

/** The real app on `dataDir` as `machine`; `tools.hideCmake` hides cmake from the toolchain check. */
async function start(dataDir: string, o: { machine?: string; hideCmake?: { value: boolean }; nvcc?: boolean; installOnStart?: boolean; buildTag?: string } = {}): Promise<Started> {
  const events: BusEvent[] = [];
  const parts = engineParts({
    provider: (ctx) =>
      createBuildProvider({
        config: ctx.config,
        paths: ctx.paths,
        bus: ctx.bus,
        detect: () => detectHardware(recordedProbeIO(recording(o.machine ?? "debian12-cpu"))),
        buildTools: () => ({ nvcc: !!o.nvcc }),
      }),
    builder: (ctx) => {
      const config = {
        get config(): Config {
          return { ...ctx.config.config, engine: { ...ctx.config.config.engine, api_base: gh.apiBase, release_tag: o.buildTag ?? "v-auto" } };
        },
      };
      const probes = () => {
        const real = systemProbes();
        return { ...real, osRelease: "ID=debian\nVERSION_ID=12\n", which: (c: string) => (o.hideCmake?.value && c === "cmake" ? undefined : real.which(c)) };
      };
      return new SourceBuilder({ config, paths: ctx.paths, bus: ctx.bus, probes, jobs: 2 });
    },
    supervisor: { backoffMs: 50, stopGraceMs: 2_000 },
    installOnStart: o.installOnStart,
  });
  await Bun.write(join(dataDir, "config.yaml"), `engine:\n  api_base: ${release.apiBase}\n  release_tag: ${TAG}\n`);
  const app = await startApp({
    run: { server: true, noOpen: true, dataDir, port: 0, host: "127.0.0.1" },
    env: { ...readEnv({}), home: tmp.dir },
    services: [
      (ctx) => {
        ctx.bus.subscribe((e) => events.push(e));
        return { name: "recorder" };
      },
      parts.service,
    ],
    log: silentLogger,
  });
  const api = async (path: string, init?: RequestInit) => (await fetch(`${app.url}/api/engine${path}`, init)).json();
  return { app, events, engine: parts.engine(app.ctx), api };
}

const builds = (events: BusEvent[]) => events.filter((e) => e.type === "engine.build").map((e) => e.data as BuildProgress);
const finished = (s: Started) => waitFor("the build to end", async () => ((await s.api("/build")).progress?.phase ?? "running") !== "running" || undefined, 90_000);

describe.skipIf(!haveTools)("automatic source build where no release build runs", () => {
  test("first start builds by itself, with progress; a later start uses the built engine and builds nothing", async () => {
    const dataDir = join(tmp.dir, "auto");
    const first = await start(dataDir);
    try {
      await finished(first);
      const progress = builds(first.events);
      expect(progress.map((p) => p.step).filter((s, i, a) => s !== a[i - 1])).toEqual(["download", "configure", "compile", "install", "start"]);
      expect(progress.at(-1)).toMatchObject({ phase: "done", backend: "cpu", tag: "v-auto" });
      // The source tarballs are downloads like the engine's (Downloads tab rows of kind "source").
      expect(first.events.some((e) => e.type === "download" && (e.data as { kind: string }).kind === "source")).toBe(true);
      await waitFor("the built engine", async () => first.engine.status().variant === "built-cpu" || undefined);
      expect(first.engine.status()).toMatchObject({ state: "installed", variant: "built-cpu", version: "v-auto" });
      expect(readInstall(join(dataDir, "engines", "v-auto", "built-cpu"))!.record.good).toBe(true);
    } finally {
      await first.app.stop();
    }
    const again = await start(dataDir);
    try {
      await waitFor("the engine install", async () => again.engine.status().state === "installed" || undefined);
      expect(again.engine.status()).toMatchObject({ variant: "built-cpu" });
      expect(builds(again.events)).toEqual([]);
      expect((await again.api("/build")).progress).toBeUndefined();
    } finally {
      await again.app.stop();
    }
  });

  test("tools missing: the engine names them with the install command; Check again then Build starts it", async () => {
    const hideCmake = { value: true };
    const s = await start(join(tmp.dir, "missing"), { hideCmake });
    try {
      const waiting = await waitFor("the build to wait for tools", async () => {
        const b = await s.api("/build");
        return b.progress?.phase === "waiting" ? b : undefined;
      });
      expect(waiting.running).toBe(false);
      expect(waiting.progress.toolchain).toMatchObject({ backend: "cpu", ok: false, missing: ["cmake"], installCommand: "sudo apt install cmake" });
      const status = await s.api("");
      expect(status.state).toBe("failed");
      expect(status.error.message).toContain("missing to build it: cmake");
      expect(status.error.hint).toContain("`sudo apt install cmake`");
      // The user installs cmake; the Engine tab's Check again finds it and starts the build.
      hideCmake.value = false;
      expect(await s.api("/toolchain?backend=cpu")).toMatchObject({ ok: true });
      const res = await fetch(`${s.app.url}/api/engine/build`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ backend: "cpu" }) });
      expect(res.status).toBe(202);
      expect((await s.api("")).state).toBe("absent");
      await finished(s);
      await waitFor("the built engine", async () => s.engine.status().variant === "built-cpu" || undefined);
    } finally {
      await s.app.stop();
    }
  });
});

test.skipIf(!haveTools)("an automatic build that fails leaves the engine failed with the step and the log's last lines", async () => {
  const s = await start(join(tmp.dir, "broken"), { buildTag: "v-auto-broken" });
  try {
    await finished(s);
    expect((await s.api("/build")).progress).toMatchObject({ phase: "failed", error: { step: "compile" } });
    const status = await waitFor("the failed state", async () => {
      const st = await s.api("");
      return st.state === "failed" ? st : undefined;
    });
    expect(status.error.message).toStartWith("The engine build failed at the compile step: ");
    expect(status.error.lastLines.join("\n")).toContain("this_is_not_cpp");
  } finally {
    await s.app.stop();
  }
  // The next start does not spend the build again: it says how the last one ended.
  const again = await start(join(tmp.dir, "broken"), { buildTag: "v-auto-broken" });
  try {
    const status = await waitFor("the failure said again", async () => {
      const st = await again.api("");
      return st.state === "failed" ? st : undefined;
    });
    expect(status.error.message).toStartWith("The engine build failed at the compile step: ");
    expect(status.error.hint).toBe("Build again from the Engine tab (Build for this machine) once the cause is fixed.");
    expect((await again.api("/build")).progress).toMatchObject({ phase: "failed", error: { step: "compile" } });
    // Building again by hand is still possible; it runs (and fails the same way here). It is also the barrier for
    // "the start built nothing": a build the start began would be refused this one (202), or show before it.
    const res = await fetch(`${again.app.url}/api/engine/build`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(202);
    const phases = await waitFor("the build by hand to run and fail", () => {
      const phases = builds(again.events).map((p) => p.phase);
      const ran = phases.indexOf("running");
      return (ran > 0 && phases.slice(ran).includes("failed") && phases) || undefined;
    }, 90_000);
    // The start's own events: the old failure said once; then one run, the one by hand, ending failed.
    expect(phases.slice(0, phases.indexOf("running"))).toEqual(["failed"]);
    expect(phases.slice(phases.indexOf("running")).filter((p) => p !== "running")).toEqual(["failed"]);
  } finally {
    await again.app.stop();
  }
});

test("Linux NVIDIA with nvcc where a release build runs: building is offered, never started", async () => {
  const s = await start(join(tmp.dir, "offer"), { machine: "nvidia-linux", nvcc: true, installOnStart: false });
  try {
    const plan = await s.api("/plan");
    expect(plan.choice.candidates.length).toBeGreaterThan(0);
    expect(plan.choice.build).toMatchObject({ backend: "cuda", chosen: false });
    expect(await s.engine.autoBuild()).toMatchObject({ action: "offer", backend: "cuda" });
    expect(await s.api("/build")).toEqual({ running: false });
    expect(builds(s.events)).toEqual([]);
  } finally {
    await s.app.stop();
  }
});
