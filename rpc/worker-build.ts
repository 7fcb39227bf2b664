/**
 * Builds the RPC worker program once, with the engine build's machinery: the same pinned
 * stable-diffusion.cpp tag and ggml submodule (source.ts, through the GitHub API base setting), the same
 * CMake flags for the backend plus SD_RPC=ON (cmake-flags.ts), the same step runner and log. Only the
 * worker's target is compiled (ggml and ggml-rpc with it). Installed as
 * `engines/rpc-worker/<tag>-<backend>/bin/ed-rpc-worker` with `worker.json` naming its ggml RPC version.
 */
import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { cmakeCommands, type BuildBackend } from "../engine/build/cmake-flags";
import { findBuiltProgram } from "../engine/build/build-engine";
import { sourceRpcVersion } from "../engine/build/rpc-version";
import { BuildError, runStep, startLog } from "../engine/build/runner";
import type { ToolchainReport } from "../engine/build/toolchain";
import { resolveTag, unpackSource, type SourceFetchOptions } from "../engine/build/source";
import { removeTree } from "../core/files/remove-tree";
import { WORKER_CMAKE, WORKER_MAIN, WORKER_TARGET } from "./worker-source";

export interface BuiltWorker {
  tag: string;
  backend: BuildBackend;
  /** ggml RPC protocol version, "5.0.1". */
  rpc: string;
  dir: string;
  program: string;
}

export interface WorkerBuildOptions extends Omit<SourceFetchOptions, "downloadsDir"> {
  backend: BuildBackend;
  /** paths.rpcWorkerBuilds */
  builds: string;
  /** paths.engines (where "latest" is cached, as for engine builds). */
  engines: string;
  downloadsDir: string;
  logFile: string;
  jobs?: number;
  env?: Record<string, string | undefined>;
  onStep?: (step: string, percent: number) => void;
  /** Asked only when a build is needed: what building lacks here (engine/build/toolchain.ts). */
  toolchain?: () => Pick<ToolchainReport, "ok" | "missing" | "installCommand" | "hint">;
}

const workerDir = (builds: string, tag: string, backend: BuildBackend) => join(builds, `${tag}-${backend}`);

/** The worker built for this tag and backend, if there is one. */
export function findWorker(builds: string, tag: string, backend: BuildBackend): BuiltWorker | undefined {
  const dir = workerDir(builds, tag, backend);
  try {
    const rec = JSON.parse(readFileSync(join(dir, "worker.json"), "utf8")) as Omit<BuiltWorker, "dir" | "program">;
    const program = join(dir, "bin", process.platform === "win32" ? `${WORKER_TARGET}.exe` : WORKER_TARGET);
    return existsSync(program) && rec.rpc ? { ...rec, dir, program } : undefined;
  } catch {
    return undefined;
  }
}

/** The built worker for the configured tag (built now if missing); throws BuildError with the failed step. */
export async function buildWorker(o: WorkerBuildOptions): Promise<BuiltWorker> {
  const tag = await resolveTag(o);
  const found = findWorker(o.builds, tag, o.backend);
  if (found) return found;
  const tools = o.toolchain?.();
  if (tools && !tools.ok)
    throw new BuildError("configure", `building the RPC worker needs ${tools.missing.join(", ")}: ${tools.installCommand ?? tools.hint ?? "install them"}`);
  const work = join(o.builds, `.build-${tag}-${o.backend}`);
  startLog(o.logFile, `RPC worker build of ${o.repo} ${tag} for ${o.backend}`);
  try {
    o.onStep?.("download", 0);
    const { src, sourceDir } = await unpackSource({ ...o, tag }, work);
    const rpc = sourceRpcVersion(sourceDir);
    if (!rpc) throw new BuildError("download", `${o.repo}@${src.main.sha.slice(0, 7)} has no ggml RPC backend (ggml/include/ggml-rpc.h)`);
    mkdirSync(join(sourceDir, WORKER_TARGET), { recursive: true });
    writeFileSync(join(sourceDir, WORKER_TARGET, "CMakeLists.txt"), WORKER_CMAKE);
    writeFileSync(join(sourceDir, WORKER_TARGET, "main.cpp"), WORKER_MAIN);
    appendFileSync(join(sourceDir, "CMakeLists.txt"), `\n# Easy Diffusion's RPC worker (rpc/worker-source.ts)\nadd_subdirectory(${WORKER_TARGET})\n`);
    const buildDir = join(work, "build");
    const cmd = cmakeCommands({ backend: o.backend, sourceDir, buildDir, jobs: o.jobs ?? availableParallelism(), rpc: true, targets: [WORKER_TARGET] });
    o.onStep?.("configure", 0);
    await runStep({ step: "configure", argv: cmd.configure, cwd: work, logFile: o.logFile, env: o.env, signal: o.signal });
    o.onStep?.("compile", 0);
    const onPercent = (p: number) => o.onStep?.("compile", p);
    await runStep({ step: "compile", argv: cmd.build, cwd: work, logFile: o.logFile, env: o.env, signal: o.signal, onPercent });
    const built = findBuiltProgram(buildDir, WORKER_TARGET);
    if (!built) throw new BuildError("install", `the build produced no ${WORKER_TARGET} program`, [], o.logFile);
    o.onStep?.("install", 100);
    const staging = join(work, "stage");
    mkdirSync(join(staging, "bin"), { recursive: true });
    const program = join(staging, "bin", built.endsWith(".exe") ? `${WORKER_TARGET}.exe` : WORKER_TARGET);
    copyFileSync(built, program);
    chmodSync(program, 0o755);
    const record = { tag, backend: o.backend, rpc, source: [`${src.main.repo}@${src.main.sha}`, `${src.ggml.repo}@${src.ggml.sha}`] };
    writeFileSync(join(staging, "worker.json"), `${JSON.stringify(record, null, 2)}\n`);
    const dir = workerDir(o.builds, tag, o.backend);
    removeTree(dir);
    renameSync(staging, dir);
    return findWorker(o.builds, tag, o.backend)!;
  } finally {
    removeTree(work);
  }
}
