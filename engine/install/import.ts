/**
 * Imports a local sd.cpp build (a folder or a zip holding sd-server) into
 * `engines/imported-<name>/<variant>/`, for offline machines and custom builds
 * such as a Linux CUDA build. The build must answer `sd-server --help` with
 * exit 0 before it is accepted.
 */
import { accessSync, constants, cpSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Paths } from "../../core/paths";
import type { Backend, InstalledBuild } from "../types";
import { EngineError, engineError } from "./engine-error";
import { IMPORTED_PREFIX } from "./installed";
import { stageInstall } from "./install";
import { extractZip } from "./unzip";

const HELP_TIMEOUT_MS = 10_000;
/** Only this much of each binary is scanned for backend markers. */
const SCAN_BYTES = 256 * 1024 * 1024;

/** Which backend a build was made for, from its file names and then its binaries' strings. */
export function detectBackend(dir: string, serverPath: string): Backend {
  const names = readdirSync(dir, { recursive: true }).map(String).join("\n").toLowerCase();
  const byName = markerBackend(names, {
    cuda: /cudart|cublas|ggml-cuda/,
    rocm: /amdhip|hipblas|rocblas|ggml-hip/,
    vulkan: /ggml-vulkan|vulkan/,
    metal: /ggml-metal|\.metal/,
  });
  if (byName) return byName;
  const libs = [serverPath, ...readdirSync(dirname(serverPath)).filter((n) => /\.(so|dylib|dll)(\.|$)/.test(n)).map((n) => join(dirname(serverPath), n))];
  for (const file of libs) {
    if (!statSync(file).isFile()) continue;
    const text = readFileSync(file).subarray(0, SCAN_BYTES).toString("latin1");
    const found = markerBackend(text, {
      cuda: /ggml_cuda_|cudaMalloc/,
      rocm: /hipMalloc|ggml_hip/,
      vulkan: /ggml_vk_|vkCreateInstance/,
      metal: /ggml_metal_|MTLDevice/,
    });
    if (found) return found;
  }
  return "cpu";
}

function markerBackend(text: string, markers: Partial<Record<Backend, RegExp>>): Backend | undefined {
  for (const [backend, re] of Object.entries(markers)) if (re.test(text)) return backend as Backend;
  return undefined;
}

/** Runs `sd-server --help`; throws a clear EngineError when it cannot run or fails. */
export async function checkServerRuns(serverPath: string): Promise<void> {
  if (process.platform !== "win32") {
    try {
      accessSync(serverPath, constants.X_OK);
    } catch {
      throw engineError("verify_failed", `${basename(serverPath)} is not executable`, `make it executable (chmod +x ${serverPath}) and import again`);
    }
  }
  let proc: ReturnType<typeof Bun.spawn>;
  try {
    proc = Bun.spawn([serverPath, "--help"], { cwd: dirname(serverPath), stdin: "ignore", stdout: "pipe", stderr: "pipe", windowsHide: true });
  } catch (err) {
    throw engineError("verify_failed", `${basename(serverPath)} could not be started: ${(err as Error).message}`, "is it a build for this system?");
  }
  const timer = setTimeout(() => proc.kill("SIGKILL"), HELP_TIMEOUT_MS);
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout as ReadableStream).text(),
    new Response(proc.stderr as ReadableStream).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  if (proc.signalCode === "SIGKILL") throw engineError("verify_failed", `${basename(serverPath)} --help did not finish within ${HELP_TIMEOUT_MS / 1000} s`);
  if (code !== 0) {
    const last = (err || out).trim().split("\n").slice(-5);
    const error = engineError(
      "verify_failed",
      `${basename(serverPath)} --help failed (exit code ${code})${last.length && last[0] ? `: ${last.at(-1)}` : ""}`,
      "is it a build for this system, with its libraries beside it?",
    );
    error.info.lastLines = last;
    throw error;
  }
}

function importName(source: string): string {
  const base = basename(source).replace(/\.zip$/i, "").replace(/[^\w.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "");
  return `${IMPORTED_PREFIX}${base || "build"}`;
}

/**
 * Imports a folder or zip; returns the installed build (engines/imported-<name>/<variant>/).
 * A path that is missing or holds no working sd-server is the caller's to fix: its
 * `verify_failed` answers 400 (from a download, the same code is the server's: 503).
 */
export async function importBuild(source: string, paths: Pick<Paths, "engines">): Promise<InstalledBuild> {
  try {
    return await stageImport(source, paths);
  } catch (err) {
    throw err instanceof EngineError && err.code === "verify_failed" ? new EngineError(err.info, 400) : err;
  }
}

async function stageImport(source: string, paths: Pick<Paths, "engines">): Promise<InstalledBuild> {
  if (!existsSync(source)) throw engineError("verify_failed", `${source} does not exist`, "give the path of a folder or .zip holding sd-server");
  const isDir = statSync(source).isDirectory();
  if (!isDir && !/\.zip$/i.test(source)) throw engineError("verify_failed", `${source} is neither a folder nor a .zip file`);
  // The variant is the backend, known once the build is unpacked and has run.
  return stageInstall({
    engines: paths.engines,
    tag: importName(source),
    variant: "cpu",
    backend: "cpu",
    source: "import",
    assets: [{ name: basename(source) }],
    fill: async (staging) => {
      if (isDir) cpSync(source, staging, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
      else await extractZip(source, staging);
    },
    check: async (server) => {
      await checkServerRuns(server);
      const backend = detectBackend(dirname(server), server);
      return { backend, variant: backend };
    },
  });
}
