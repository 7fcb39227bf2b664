/**
 * A tiny source tree shaped like upstream stable-diffusion.cpp (top-level
 * CMakeLists.txt with the same option names, examples/server building the
 * `sd-server` target and examples/cli the `sd-cli` target, ggml from a second
 * tarball), packed as GitHub tarballs (`<owner>-<repo>-<sha7>/…`) and served
 * by a local GitHub-like API: commits/{ref}, contents/ggml?ref=, tarball/{sha},
 * releases/latest. The built sd-server execs the stand-in, so the supervisor
 * can start it. Builds in seconds.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const MAIN_REPO = "leejet/stable-diffusion.cpp";
export const GGML_REPO = "ggml-org/ggml";
const STANDIN = join(import.meta.dir, "..", "standin", "sd-server.ts");
const STANDIN_RPC = join(import.meta.dir, "..", "standin", "rpc-server.ts");

export interface TreeOptions {
  /** Make the server source fail to compile. */
  broken?: boolean;
  /** A build step that sleeps, for cancel tests. */
  slow?: boolean;
  /** The built sd-server prints a fatal line and exits 1 (the start step fails). */
  noStart?: boolean;
  /** The tag pins libwebp and libwebm submodules (as upstream's .gitmodules at 97d2990 does). */
  media?: boolean;
  /** The ggml RPC protocol version ggml-rpc.h declares (default 5.0.1, as at the pinned commit). */
  rpcVersion?: string;
}

function sha(seed: string): string {
  return new Bun.CryptoHasher("sha1").update(seed).digest("hex");
}

function write(root: string, files: Record<string, string>) {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
}

async function tarGz(dir: string, top: string, out: string) {
  const p = Bun.spawn(["tar", "-czf", out, "-C", dir, top]);
  if ((await p.exited) !== 0) throw new Error("tar failed");
}

export interface SourceFixture {
  tag: string;
  mainSha: string;
  ggmlSha: string;
  /** Submodule path → commit, for thirdparty/libwebp and thirdparty/libwebm when the tag pins them. */
  media: Record<string, string>;
  tarballs: Record<string, Uint8Array>;
}

export async function makeSourceFixture(tag: string, o: TreeOptions = {}): Promise<SourceFixture> {
  const mainSha = sha(`main-${tag}-${JSON.stringify(o)}`);
  const ggmlSha = sha(`ggml-${tag}-${o.rpcVersion ?? ""}`);
  const tmp = mkdtempSync(join(tmpdir(), "ed-src-"));
  try {
    const mainTop = `leejet-stable-diffusion.cpp-${mainSha.slice(0, 7)}`;
    write(join(tmp, mainTop), {
      "CMakeLists.txt": `cmake_minimum_required(VERSION 3.13)
project(stable-diffusion CXX)
set(CMAKE_CXX_STANDARD 17)
option(SD_CUDA "cuda" OFF)
option(SD_VULKAN "vulkan" OFF)
option(SD_HIPBLAS "rocm" OFF)
option(SD_BUILD_EXAMPLES "examples" ON)
option(SD_BUILD_SHARED_LIBS "shared" OFF)
option(GGML_NATIVE "native" ON)
option(SD_WEBP "webp" OFF)
option(SD_WEBM "webm" OFF)
# As upstream's CMakeLists.txt: WebP/WebM on without their sources stops the configure.
set(SD_VIDEO_BUILD "")
if(SD_WEBP)
  if(NOT EXISTS "\${CMAKE_CURRENT_SOURCE_DIR}/thirdparty/libwebp/CMakeLists.txt")
    message(FATAL_ERROR "WebP support enabled but no source found.")
  endif()
  list(APPEND SD_VIDEO_BUILD webp)
endif()
if(SD_WEBM)
  if(NOT EXISTS "\${CMAKE_CURRENT_SOURCE_DIR}/thirdparty/libwebm/CMakeLists.txt")
    message(FATAL_ERROR "WebM support enabled but no source found.")
  endif()
  list(APPEND SD_VIDEO_BUILD webm)
endif()
string(REPLACE ";" "," SD_VIDEO_BUILD "\${SD_VIDEO_BUILD}")
option(SD_RPC "rpc" OFF)
if(SD_RPC)
  set(GGML_RPC ON)
  add_definitions(-DSD_USE_RPC)
endif()
add_definitions(-DGGML_MAX_NAME=160)
set(SD_BACKEND cpu)
if(SD_CUDA)
  set(SD_BACKEND cuda)
elseif(SD_VULKAN)
  set(SD_BACKEND vulkan)
elseif(SD_HIPBLAS)
  set(SD_BACKEND rocm)
endif()
set(CMAKE_RUNTIME_OUTPUT_DIRECTORY \${CMAKE_BINARY_DIR}/bin)
add_subdirectory(ggml)
if(SD_BUILD_EXAMPLES)
  add_subdirectory(examples)
endif()
`,
      "ggml/.keep": "",
      "examples/CMakeLists.txt": "add_subdirectory(server)\nadd_subdirectory(cli)\n",
      "examples/cli/CMakeLists.txt": "add_executable(sd-cli main.cpp)\ntarget_link_libraries(sd-cli PRIVATE ggml)\n",
      "examples/cli/main.cpp": `#include <cstdio>
int ggml_fixture_version();
int main() {
  std::printf("sd-cli fixture %d\\n", ggml_fixture_version());
  return 0;
}
`,
      "examples/server/CMakeLists.txt": `add_executable(sd-server main.cpp)
target_link_libraries(sd-server PRIVATE ggml)
target_compile_definitions(sd-server PRIVATE STANDIN_SOURCE="${STANDIN}" SD_BACKEND_NAME="\${SD_BACKEND}" SD_VIDEO_BUILD="\${SD_VIDEO_BUILD}")
${o.slow ? "add_custom_target(slow_step COMMAND sleep 600)\nadd_dependencies(sd-server slow_step)\n" : ""}`,
      "examples/server/main.cpp": `#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>
#include <unistd.h>
int ggml_fixture_version();
int main(int argc, char** argv) {
  ${o.broken ? "this_is_not_cpp(;" : ""}
  ${o.noStart ? 'fprintf(stderr, "fixture: cannot open the GPU device (the start step must show this)\\n"); return 1;' : ""}
  std::string self = argv[0];
  std::string dir = self.find('/') == std::string::npos ? "." : self.substr(0, self.rfind('/'));
  setenv("STANDIN_PROGRAM_DIR", dir.c_str(), 1);
  setenv("STANDIN_ARGV0", argv[0], 1);
  // The stand-in offers the video formats this build was configured with (its videoBuild knob).
  setenv("STANDIN_VIDEO_BUILD", SD_VIDEO_BUILD, 1);
#ifdef SD_USE_RPC
  setenv("STANDIN_SD_RPC", "1", 1);  // built with SD_RPC=ON: the stand-in adds --rpc-servers' devices
#endif
  std::vector<char*> args = {(char*)"bun", (char*)STANDIN_SOURCE};
  for (int i = 1; i < argc; i++) args.push_back(argv[i]);
  args.push_back(nullptr);
  if (ggml_fixture_version() != 1) return 3;
  execvp("bun", args.data());
  return 127;
}
`,
    });
    const ggmlTop = `ggml-org-ggml-${ggmlSha.slice(0, 7)}`;
    write(join(tmp, ggmlTop), {
      "CMakeLists.txt": `add_library(ggml STATIC src/ggml.cpp src/ggml-backend.cpp)
target_include_directories(ggml PUBLIC include)
if(GGML_RPC)
  target_sources(ggml PRIVATE src/ggml-rpc.cpp)
  target_compile_definitions(ggml PRIVATE STANDIN_RPC_SOURCE="${STANDIN_RPC}" RPC_VERSION_TEXT="${o.rpcVersion ?? "5.0.1"}")
endif()
`,
      "src/ggml.cpp": "int ggml_fixture_version() { return 1; }\n",
      // The ggml API the RPC worker program uses (upstream include/ggml-backend.h, include/ggml-rpc.h), one CPU device.
      "include/ggml-backend.h": `#pragma once
#include <cstddef>
struct ggml_backend_device { const char * name; };
typedef struct ggml_backend_device * ggml_backend_dev_t;
enum ggml_backend_dev_type { GGML_BACKEND_DEVICE_TYPE_CPU, GGML_BACKEND_DEVICE_TYPE_GPU, GGML_BACKEND_DEVICE_TYPE_IGPU };
size_t ggml_backend_dev_count(void);
ggml_backend_dev_t ggml_backend_dev_get(size_t index);
ggml_backend_dev_t ggml_backend_dev_by_name(const char * name);
ggml_backend_dev_t ggml_backend_dev_by_type(enum ggml_backend_dev_type type);
enum ggml_backend_dev_type ggml_backend_dev_type(ggml_backend_dev_t device);
`,
      "include/ggml-rpc.h": `#pragma once
#include "ggml-backend.h"
#if !defined(GGML_MAX_NAME) || GGML_MAX_NAME != 160
#error "built without stable-diffusion.cpp's GGML_MAX_NAME=160"
#endif
#define RPC_PROTO_MAJOR_VERSION    ${(o.rpcVersion ?? "5.0.1").split(".")[0]}
#define RPC_PROTO_MINOR_VERSION    ${(o.rpcVersion ?? "5.0.1").split(".")[1]}
#define RPC_PROTO_PATCH_VERSION    ${(o.rpcVersion ?? "5.0.1").split(".")[2]}
void ggml_backend_rpc_start_server(const char * endpoint, const char * cache_dir, size_t n_threads, size_t n_devices, ggml_backend_dev_t * devices);
`,
      "src/ggml-backend.cpp": `#include "ggml-backend.h"
#include <cstring>
static ggml_backend_device cpu = {"CPU"};
size_t ggml_backend_dev_count(void) { return 1; }
ggml_backend_dev_t ggml_backend_dev_get(size_t i) { return i == 0 ? &cpu : nullptr; }
ggml_backend_dev_t ggml_backend_dev_by_name(const char * name) { return std::strcmp(name, "CPU") == 0 ? &cpu : nullptr; }
ggml_backend_dev_t ggml_backend_dev_by_type(enum ggml_backend_dev_type t) { return t == GGML_BACKEND_DEVICE_TYPE_CPU ? &cpu : nullptr; }
enum ggml_backend_dev_type ggml_backend_dev_type(ggml_backend_dev_t) { return GGML_BACKEND_DEVICE_TYPE_CPU; }
`,
      // The RPC server: the stand-in (tests/standin/rpc-server.ts) at this endpoint, serving the devices asked for.
      "src/ggml-rpc.cpp": `#include "ggml-rpc.h"
#include <string>
#include <vector>
#include <unistd.h>
void ggml_backend_rpc_start_server(const char * endpoint, const char *, size_t, size_t n, ggml_backend_dev_t * devices) {
  std::vector<std::string> a = {"bun", STANDIN_RPC_SOURCE, endpoint, "--version", RPC_VERSION_TEXT};
  for (size_t i = 0; i < n; i++) a.push_back("--device"), a.push_back(std::string(devices[i]->name) + ":Fixture CPU:2147483648:4294967296");
  std::vector<char *> argv;
  for (auto & s : a) argv.push_back((char *)s.c_str());
  argv.push_back(nullptr);
  execvp("bun", argv.data());
}
`,
    });
    await tarGz(tmp, mainTop, join(tmp, "main.tgz"));
    await tarGz(tmp, ggmlTop, join(tmp, "ggml.tgz"));
    const tarballs: Record<string, Uint8Array> = { [mainSha]: readFileSync(join(tmp, "main.tgz")), [ggmlSha]: readFileSync(join(tmp, "ggml.tgz")) };
    const media: Record<string, string> = {};
    for (const lib of o.media ? ["libwebp", "libwebm"] : []) {
      const libSha = sha(`${lib}-${tag}`);
      const top = `webmproject-${lib}-${libSha.slice(0, 7)}`;
      write(join(tmp, top), { "CMakeLists.txt": `# ${lib} fixture: its presence is what upstream's CMake checks\n` });
      await tarGz(tmp, top, join(tmp, `${lib}.tgz`));
      tarballs[libSha] = readFileSync(join(tmp, `${lib}.tgz`));
      media[`thirdparty/${lib}`] = libSha;
    }
    return { tag, mainSha, ggmlSha, media, tarballs };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export interface GithubServer {
  apiBase: string;
  requests: string[];
  stop(): void;
}

/** The GitHub REST routes a source build uses, for the given fixtures. */
export function serveGithub(fixtures: SourceFixture[], latest = fixtures[0]?.tag): GithubServer {
  const requests: string[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(req) {
      const url = new URL(req.url);
      requests.push(url.pathname + url.search);
      if (url.pathname === "/repos/leejet/stable-diffusion.cpp/releases/latest")
        return latest ? Response.json({ tag_name: latest, assets: [] }) : Response.json({ message: "Not Found" }, { status: 404 });
      const commit = /^\/repos\/leejet\/stable-diffusion\.cpp\/commits\/(.+)$/.exec(url.pathname);
      if (commit) {
        const f = fixtures.find((x) => x.tag === decodeURIComponent(commit[1]!));
        return f ? Response.json({ sha: f.mainSha }) : Response.json({ message: "No commit found" }, { status: 422 });
      }
      if (url.pathname === "/repos/leejet/stable-diffusion.cpp/contents/ggml") {
        const f = fixtures.find((x) => x.mainSha === url.searchParams.get("ref"));
        if (!f) return Response.json({ message: "Not Found" }, { status: 404 });
        return Response.json({ type: "submodule", name: "ggml", path: "ggml", sha: f.ggmlSha, submodule_git_url: "https://github.com/ggml-org/ggml.git" });
      }
      const media = /^\/repos\/leejet\/stable-diffusion\.cpp\/contents\/(thirdparty\/libweb[pm])$/.exec(url.pathname);
      if (media) {
        const at = fixtures.find((x) => x.mainSha === url.searchParams.get("ref"))?.media[media[1]!];
        if (!at) return Response.json({ message: "Not Found" }, { status: 404 });
        const name = media[1]!.split("/")[1]!;
        return Response.json({ type: "submodule", name, path: media[1], sha: at, submodule_git_url: `https://github.com/webmproject/${name}.git` });
      }
      const tar = /^\/repos\/([^/]+\/[^/]+)\/tarball\/([0-9a-f]{40})$/.exec(url.pathname);
      if (tar) {
        for (const f of fixtures) {
          const body = f.tarballs[tar[2]!];
          if (body) return new Response(new Blob([body as Uint8Array<ArrayBuffer>]), { headers: { "content-type": "application/x-gzip", "content-length": String(body.length) } });
        }
      }
      return Response.json({ message: "Not Found" }, { status: 404 });
    },
  });
  return { apiBase: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}

/** What a CPU build from the local GitHub-like API takes, with its folders under `dir` (engine and RPC worker builds alike). */
export function cpuBuildOptions(apiBase: string, dir: string, tag: string) {
  return {
    apiBase,
    repo: MAIN_REPO,
    tag,
    backend: "cpu" as const,
    engines: join(dir, "engines"),
    downloadsDir: join(dir, "downloads"),
    jobs: 2,
    download: { retries: 0, backoffMs: 10 },
  };
}
