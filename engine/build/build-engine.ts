/**
 * One source build from start to installed: resolve the tag ("latest" → the
 * newest release's tag), fetch (or reuse) the source tarballs, unpack sd.cpp
 * with ggml in its submodule folder, configure and compile with CMake for
 * the backend, stage sd-server and sd-cli, start the staged sd-server once
 * (start-check.ts) and only then commit it atomically as
 * `engines/<tag>/built-<backend>/` (record source "build", marked good).
 * A build that does not start is not kept. Progress goes on the bus as
 * "engine.build"; the full log is kept in the data dir's logs.
 */
import { appendFileSync, copyFileSync, chmodSync, existsSync, mkdirSync, readdirSync, renameSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import type { EventBus } from "../../core/events/bus";
import type { InstalledBuild } from "../types";
import { stageInstall } from "../install/install";
import { markInstallGood } from "../install/installed";
import { BUILT_PROGRAMS, cmakeCommands, type BuildBackend } from "./cmake-flags";
import { BuildCancelled, BuildError, runStep, startLog, type BuildStep } from "./runner";
import { fetchSource, resolveTag, unpackTree, type SourceFetchOptions } from "./source";
import { startCheck, type StartCheck } from "./start-check";
import type { ToolchainReport } from "./toolchain";
import { removeTree } from "../../core/files/remove-tree";

export interface BuildProgress {
  backend: BuildBackend;
  tag: string;
  step: BuildStep;
  /** 0–100 within the compile step. */
  percent: number;
  /** waiting: an automatic build waits for tools the user has to install (`toolchain` says which). */
  phase: "running" | "done" | "failed" | "cancelled" | "waiting";
  error?: { step: BuildStep; message: string; logTail: string[] };
  /** With phase "waiting": what is missing and the command installing it. */
  toolchain?: ToolchainReport;
  logFile: string;
}

declare module "../../core/events/bus" {
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
  /** The last step: starts the staged sd-server once (default: `sd-server --help` must succeed). */
  startCheck?: StartCheck;
}

export function builtVariant(backend: BuildBackend): string {
  return `built-${backend}`;
}

/** A program a build produced (sd-server, sd-cli): bin/<name> (upstream) or anywhere under the build folder. */
function findBuiltProgram(dir: string, program: string): string | undefined {
  const names = [program, `${program}.exe`];
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
  let tag = o.tag;
  /** The unpacked source and CMake's build folder (hundreds of MB for upstream): removed at the end, the log and tarballs stay. */
  let work: string | undefined;
  let step: BuildStep = "download";
  let percent = 0;
  const emit = (phase: BuildProgress["phase"], error?: BuildProgress["error"]) => {
    const p: BuildProgress = { backend: o.backend, tag, step, percent, phase, logFile: o.logFile, ...(error ? { error } : {}) };
    o.onProgress?.(p);
    o.bus?.publish("engine.build", p);
  };
  startLog(o.logFile, `source build of ${o.repo} ${o.tag} for ${o.backend}`);
  try {
    emit("running");
    tag = await resolveTag(o);
    work = join(o.engines, `.build-${tag}-${o.backend}`);
    const src = await fetchSource({ ...o, tag });
    const sourceDir = join(work, "src");
    await unpackTree(src.main, sourceDir, join(work, "unpack"));
    await unpackTree(src.ggml, join(work, "ggml-src"), join(work, "unpack"));
    removeTree(join(sourceDir, "ggml"));
    renameSync(join(work, "ggml-src"), join(sourceDir, "ggml"));
    for (const { path, tree } of src.media) {
      await unpackTree(tree, join(work, "media-src"), join(work, "unpack"));
      removeTree(join(sourceDir, path));
      mkdirSync(dirname(join(sourceDir, path)), { recursive: true });
      renameSync(join(work, "media-src"), join(sourceDir, path));
    }
    const buildDir = join(work, "build");
    const has = (path: string) => src.media.some((m) => m.path === path);
    const media = { webp: has("thirdparty/libwebp"), webm: has("thirdparty/libwebm") };
    const cmd = cmakeCommands({ backend: o.backend, sourceDir, buildDir, jobs: o.jobs ?? availableParallelism(), media });
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
    const built = BUILT_PROGRAMS.map((name) => ({ name, path: findBuiltProgram(buildDir, name) }));
    const lacking = built.filter((b) => !b.path).map((b) => b.name);
    if (lacking.length) throw new BuildError("install", `the build produced no ${lacking.join(" or ")} program`, [], o.logFile);
    const check = o.startCheck ?? startCheck();
    const installed = await stageInstall({
      engines: o.engines,
      tag,
      variant: builtVariant(o.backend),
      backend: o.backend,
      source: "build",
      assets: [
        { name: `${src.main.repo}@${src.main.sha}` },
        { name: `${src.ggml.repo}@${src.ggml.sha}` },
        ...src.media.map(({ tree }) => ({ name: `${tree.repo}@${tree.sha}` })),
      ],
      fill: async (staging) => {
        mkdirSync(join(staging, "bin"), { recursive: true });
        for (const b of built) {
          const target = join(staging, "bin", b.path!.endsWith(".exe") ? `${b.name}.exe` : b.name);
          copyFileSync(b.path!, target);
          chmodSync(target, 0o755);
        }
      },
      // The staged program starts once before it is committed; one that does not is never installed.
      check: async (serverPath) => {
        step = "start";
        emit("running");
        appendFileSync(o.logFile, `$ start ${serverPath} once\n`);
        try {
          await check({ tag, variant: builtVariant(o.backend), backend: o.backend, dir: dirname(dirname(serverPath)), serverPath });
        } catch (err) {
          const be = err instanceof BuildError ? err : new BuildError("start", (err as Error).message);
          appendFileSync(o.logFile, `${[be.message, ...be.logTail].join("\n")}\n`);
          throw new BuildError("start", be.message, be.logTail, o.logFile);
        }
        appendFileSync(o.logFile, "started and answered\n");
      },
    });
    markInstallGood(o.engines, installed);
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
  } finally {
    if (work) removeTree(work);
  }
}
