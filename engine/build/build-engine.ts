/**
 * One source build from start to installed: fetch (or reuse) the source
 * tarballs, unpack sd.cpp with ggml in its submodule folder, configure and
 * compile with CMake for the backend, then install the sd-server program
 * atomically as `engines/<tag>/built-<backend>/` (record source "build",
 * good: false until it has started and answered once, like release builds).
 * Progress goes on the bus as "engine.build"; the full log is kept in the
 * data dir's logs.
 */
import { copyFileSync, chmodSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { EventBus } from "../../launcher/events/bus";
import type { InstalledBuild } from "../types";
import { stageInstall } from "../install/install";
import { cmakeCommands, SERVER_TARGET, type BuildBackend } from "./cmake-flags";
import { BuildCancelled, BuildError, runStep, startLog, type BuildStep } from "./runner";
import { fetchSource, unpackTree, type SourceFetchOptions } from "./source";

export interface BuildProgress {
  backend: BuildBackend;
  tag: string;
  step: BuildStep;
  /** 0–100 within the compile step. */
  percent: number;
  phase: "running" | "done" | "failed" | "cancelled";
  error?: { step: BuildStep; message: string; logTail: string[] };
  logFile: string;
}

declare module "../../launcher/events/bus" {
  interface EventMap {
    "engine.build": BuildProgress;
  }
}

export interface BuildEngineOptions extends Omit<SourceFetchOptions, "downloadsDir"> {
  backend: BuildBackend;
  engines: string;
  downloadsDir: string;
  /** Where the full build log goes. */
  logFile: string;
  jobs?: number;
  /** PATH and other variables for cmake and the compilers. */
  env?: Record<string, string | undefined>;
  onProgress?: (p: BuildProgress) => void;
}

export function builtVariant(backend: BuildBackend): string {
  return `built-${backend}`;
}

/** The sd-server program a build produced: bin/sd-server (upstream) or anywhere under the build folder. */
function findBuiltServer(dir: string): string | undefined {
  const names = [SERVER_TARGET, `${SERVER_TARGET}.exe`];
  for (const sub of ["bin", "bin/Release", "."]) for (const n of names) if (existsSync(join(dir, sub, n))) return join(dir, sub, n);
  const walk = (d: string, depth: number): string | undefined => {
    if (depth > 4) return undefined;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isFile() && names.includes(e.name) && statSync(p).mode & 0o111) return p;
      if (e.isDirectory() && !e.name.startsWith("CMakeFiles")) {
        const f = walk(p, depth + 1);
        if (f) return f;
      }
    }
    return undefined;
  };
  return walk(dir, 0);
}

/** Builds and installs; throws BuildError (with the failed step) or BuildCancelled. */
export async function buildEngine(o: BuildEngineOptions): Promise<InstalledBuild> {
  const work = join(o.engines, `.build-${o.tag}-${o.backend}`);
  let step: BuildStep = "download";
  let percent = 0;
  const emit = (phase: BuildProgress["phase"], error?: BuildProgress["error"]) => {
    const p: BuildProgress = { backend: o.backend, tag: o.tag, step, percent, phase, logFile: o.logFile, ...(error ? { error } : {}) };
    o.onProgress?.(p);
    o.bus?.publish("engine.build", p);
  };
  startLog(o.logFile, `source build of ${o.repo} ${o.tag} for ${o.backend}`);
  try {
    emit("running");
    const src = await fetchSource(o);
    const sourceDir = join(work, "src");
    await unpackTree(src.main, sourceDir, join(work, "unpack"));
    await unpackTree(src.ggml, join(work, "ggml-src"), join(work, "unpack"));
    const { renameSync, rmSync } = await import("node:fs");
    rmSync(join(sourceDir, "ggml"), { recursive: true, force: true });
    renameSync(join(work, "ggml-src"), join(sourceDir, "ggml"));
    const buildDir = join(work, "build");
    const cmd = cmakeCommands({ backend: o.backend, sourceDir, buildDir, jobs: o.jobs ?? availableParallelism() });
    step = "configure";
    emit("running");
    await runStep({ step: "configure", argv: cmd.configure, cwd: work, logFile: o.logFile, env: o.env, signal: o.signal });
    step = "compile";
    emit("running");
    await runStep({
      step: "compile",
      argv: cmd.build,
      cwd: work,
      logFile: o.logFile,
      env: o.env,
      signal: o.signal,
      onPercent: (p) => {
        if (p > percent) {
          percent = p;
          emit("running");
        }
      },
    });
    step = "install";
    emit("running");
    const built = findBuiltServer(buildDir);
    if (!built) throw new BuildError("install", `the build produced no ${SERVER_TARGET} program`, [], o.logFile);
    const installed = await stageInstall({
      engines: o.engines,
      tag: o.tag,
      variant: builtVariant(o.backend),
      backend: o.backend,
      source: "build",
      assets: [
        { name: `${src.main.repo}@${src.main.sha}` },
        { name: `${src.ggml.repo}@${src.ggml.sha}` },
      ],
      fill: async (staging) => {
        mkdirSync(join(staging, "bin"), { recursive: true });
        const target = join(staging, "bin", built.endsWith(".exe") ? "sd-server.exe" : "sd-server");
        copyFileSync(built, target);
        chmodSync(target, 0o755);
      },
    });
    percent = 100;
    emit("done");
    return installed;
  } catch (err) {
    if (err instanceof BuildCancelled || o.signal?.aborted) {
      emit("cancelled");
      throw err instanceof BuildCancelled ? err : new BuildCancelled();
    }
    const be = err instanceof BuildError ? err : new BuildError(step, (err as Error).message, [], o.logFile);
    emit("failed", { step: be.step, message: be.message, logTail: be.logTail });
    throw be;
  }
}
