/**
 * The CMake configure and build command lines for building upstream
 * stable-diffusion.cpp's sd-server for one backend. Pure: a function of the
 * backend, the folders and the core count, so tests check the exact flags.
 * Option names follow upstream's top-level CMakeLists.txt (SD_CUDA,
 * SD_VULKAN, SD_HIPBLAS; the server lives under examples/, so examples stay
 * on and only the sd-server and sd-cli targets are built, like the programs
 * upstream's release zips carry from build/bin/).
 */
export type BuildBackend = "cpu" | "vulkan" | "cuda" | "rocm";
export const BUILD_BACKENDS: readonly BuildBackend[] = ["cpu", "vulkan", "cuda", "rocm"];

/** The CMake option that turns each GPU backend on. */
const BACKEND_OPTION: Record<BuildBackend, string | undefined> = {
  cpu: undefined,
  vulkan: "SD_VULKAN",
  cuda: "SD_CUDA",
  rocm: "SD_HIPBLAS",
};

/** The target the build produces; its program is the engine. */
export const SERVER_TARGET = "sd-server";
/** The command-line program built beside it (picture upscaling uses its `-M upscale`). */
export const CLI_TARGET = "sd-cli";
/** Every program a build installs, in bin/ of `engines/<tag>/built-<backend>/`. */
export const BUILT_PROGRAMS = [SERVER_TARGET, CLI_TARGET] as const;

export interface CmakeCommands {
  configure: string[];
  build: string[];
}

/** `cmake -S src -B build -D…` then `cmake --build build --target sd-server sd-cli -j N`. */
export function cmakeCommands(o: {
  backend: BuildBackend;
  sourceDir: string;
  buildDir: string;
  jobs: number;
  cmake?: string;
  /** Whether libwebp / libwebm sources are in the tree (fetched submodules): then WebP / WebM output is built. */
  media?: { webp: boolean; webm: boolean };
}): CmakeCommands {
  const cmake = o.cmake ?? "cmake";
  const defs: Record<string, string> = {
    CMAKE_BUILD_TYPE: "Release",
    GGML_NATIVE: "ON",
    SD_BUILD_EXAMPLES: "ON",
    SD_BUILD_SHARED_LIBS: "OFF",
    BUILD_SHARED_LIBS: "OFF",
    GGML_BUILD_TESTS: "OFF",
    GGML_BUILD_EXAMPLES: "OFF",
    // The web frontend needs Node + pnpm and a network fetch at build time; the app has its own UI.
    SD_SERVER_BUILD_FRONTEND: "OFF",
    // libwebp / libwebm are git submodules that GitHub's tarballs leave empty: on only when source.ts fetched them
    // (upstream's CMakeLists.txt stops with "WebP support enabled but no source found" otherwise). With both, sd-server
    // offers vid_gen webm and animated webp (examples/server/runtime.cpp supported_vid_output_formats), not only avi.
    SD_WEBP: o.media?.webp ? "ON" : "OFF",
    SD_WEBM: o.media?.webm ? "ON" : "OFF",
  };
  const option = BACKEND_OPTION[o.backend];
  if (option) defs[option] = "ON";
  if (o.backend === "rocm") {
    defs.CMAKE_C_COMPILER = "clang";
    defs.CMAKE_CXX_COMPILER = "clang++";
  }
  const configure = [cmake, "-S", o.sourceDir, "-B", o.buildDir, ...Object.entries(defs).map(([k, v]) => `-D${k}=${v}`)];
  const build = [cmake, "--build", o.buildDir, "--config", "Release", "--target", ...BUILT_PROGRAMS, "-j", String(Math.max(1, Math.floor(o.jobs)))];
  return { configure, build };
}
