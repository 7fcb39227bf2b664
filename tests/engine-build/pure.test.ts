/** Pure parts of the source build: cmake flags, progress lines, toolchain check. */
import { expect, test } from "bun:test";
import { cmakeCommands } from "../../engine/build/cmake-flags";
import { buildPercent, tailLines } from "../../engine/build/progress";
import { checkToolchain, compilesCxx17, packageManagerFor, systemProbes } from "../../engine/build/toolchain";
import { decideAutoBuild, plannedBuildBackend } from "../../engine/build/auto-build";
import { detectHardware } from "../../engine/detect/detect";
import { recordedProbeIO } from "../../engine/detect/probe-io";
import { probeFixtures } from "../fixtures/probes/fixtures";
import { need } from "../kit/needs";

test("cmake flags turn on the backend option, native CPU and one target", () => {
  const cuda = cmakeCommands({ backend: "cuda", sourceDir: "/s", buildDir: "/b", jobs: 8 });
  expect(cuda.configure).toContain("-DSD_CUDA=ON");
  expect(cuda.configure).toContain("-DGGML_NATIVE=ON");
  // Nothing that needs the network or submodules a tarball lacks.
  for (const off of ["-DSD_SERVER_BUILD_FRONTEND=OFF", "-DSD_WEBP=OFF", "-DSD_WEBM=OFF"]) expect(cuda.configure).toContain(off);
  // WebP and WebM only when source.ts fetched libwebp / libwebm into the tree.
  const media = cmakeCommands({ backend: "cpu", sourceDir: "/s", buildDir: "/b", jobs: 1, media: { webp: true, webm: false } }).configure;
  expect(media).toContain("-DSD_WEBP=ON");
  expect(media).toContain("-DSD_WEBM=OFF");
  expect(cuda.configure).not.toContain("-DSD_VULKAN=ON");
  expect(cuda.build).toEqual(["cmake", "--build", "/b", "--config", "Release", "--target", "sd-server", "sd-cli", "-j", "8"]);
  expect(cmakeCommands({ backend: "vulkan", sourceDir: "/s", buildDir: "/b", jobs: 1 }).configure).toContain("-DSD_VULKAN=ON");
  expect(cmakeCommands({ backend: "rocm", sourceDir: "/s", buildDir: "/b", jobs: 1 }).configure).toContain("-DSD_HIPBLAS=ON");
  const cpu = cmakeCommands({ backend: "cpu", sourceDir: "/s", buildDir: "/b", jobs: 0 });
  expect(cpu.configure.filter((f) => /SD_(CUDA|VULKAN|HIPBLAS)/.test(f))).toEqual([]);
  expect(cpu.build.at(-1)).toBe("1");
});

test("progress comes from make percentages and ninja steps", () => {
  expect(buildPercent("[  7%] Building CXX object ggml/src/ggml.c.o")).toBe(7);
  expect(buildPercent("[100%] Built target sd-server")).toBe(100);
  expect(buildPercent("[3/12] Building CXX object x.o")).toBe(25);
  expect(buildPercent("-- Configuring done")).toBeUndefined();
  expect(tailLines("a\n\nb\nc\n", 2)).toEqual(["b", "c"]);
});

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n';

test("package manager from os-release", () => {
  expect(packageManagerFor(DEBIAN)).toBe("apt");
  expect(packageManagerFor('ID=linuxmint\nID_LIKE="ubuntu debian"')).toBe("apt");
  expect(packageManagerFor("ID=fedora")).toBe("dnf");
  expect(packageManagerFor("ID=arch")).toBe("pacman");
  expect(packageManagerFor('ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"')).toBe("zypper");
  expect(packageManagerFor("ID=gentoo")).toBeUndefined();
});

test("missing tools are listed with the install command for the distribution", () => {
  const have = new Set(["g++"]);
  const probes = { which: (c: string) => (have.has(c) ? `/usr/bin/${c}` : undefined), exists: () => false, osRelease: DEBIAN };
  const r = checkToolchain("vulkan", probes);
  expect(r.ok).toBe(false);
  expect(r.missing).toEqual(["cmake", "vulkan headers", "glslc"]);
  expect(r.installCommand).toBe("sudo apt install cmake libvulkan-dev glslc");
  const fedora = checkToolchain("cuda", { ...probes, osRelease: "ID=fedora" });
  expect(fedora.installCommand).toBe("sudo dnf install cmake cuda-toolkit");
  const unknown = checkToolchain("cpu", { ...probes, osRelease: undefined });
  expect(unknown.installCommand).toBeUndefined();
  expect(unknown.hint).toContain("cmake");
  have.add("cmake");
  expect(checkToolchain("cpu", probes)).toMatchObject({ ok: true, missing: [] });
});

test("the real probes see no cmake on a PATH without it", () => {
  const r = checkToolchain("cpu", systemProbes({ PATH: "/nonexistent" }));
  expect(r.missing).toContain("cmake");
});

test("terminal lines for build progress", async () => {
  const { formatBuildProgress } = await import("../../engine/build/terminal-progress");
  const base = { backend: "cpu" as const, tag: "t", logFile: "/l", percent: 40 };
  expect(formatBuildProgress({ ...base, step: "compile", phase: "running" })).toBe("Engine build (cpu): compiling 40%");
  expect(formatBuildProgress({ ...base, step: "configure", phase: "running" })).toBe("Engine build (cpu): configuring…");
  const failed = formatBuildProgress({ ...base, step: "compile", phase: "failed", error: { step: "compile", message: "compile failed (exit 2)", logTail: ["main.cpp:3: error"] } });
  expect(failed.split("\n")).toEqual(["Engine build (cpu): failed at the compile step: compile failed (exit 2)", "  | main.cpp:3: error", "  full log: /l"]);
});

test("a compiler without C++17 is listed as missing with the install command", () => {
  const probes = { which: (c: string) => (c === "cmake" || c === "g++" ? `/usr/bin/${c}` : undefined), exists: () => false, osRelease: DEBIAN };
  const old = checkToolchain("cpu", { ...probes, cxx17: (compiler: string) => compiler !== "/usr/bin/g++" });
  expect(old.ok).toBe(false);
  expect(old.missing).toEqual(["c++17 support"]);
  expect(old.installCommand).toBe("sudo apt install g++");
  expect(checkToolchain("cpu", { ...probes, cxx17: () => true })).toMatchObject({ ok: true, missing: [] });
  expect(checkToolchain("cpu", { ...probes, osRelease: "ID=fedora", cxx17: () => false }).installCommand).toBe("sudo dnf install gcc-c++");
});

const realCxx = Bun.which("c++") ?? Bun.which("g++");
const haveCxx = need("a C++ compiler", !!realCxx, "sudo apt install g++");
test.skipIf(!haveCxx)("the real C++17 probe compiles with the real compiler; a program that is no compiler fails it", () => {
  expect(compilesCxx17(realCxx!)).toBe(true);
  expect(compilesCxx17("/bin/false")).toBe(false);
  expect(compilesCxx17("/nonexistent/c++")).toBe(false);
  expect(systemProbes().cxx17).toBeFunction();
});

async function hwOf(name: string) {
  return detectHardware(recordedProbeIO(probeFixtures().find(([n]) => n === name)![1].recording));
}

test("auto-build: only where the plan chose building and no built engine exists; a faster build is only offered", async () => {
  const chosen = { choice: { candidates: [], rejected: [], build: { backend: "cpu" as const, chosen: true, reason: "no release build can run here" } } };
  expect(decideAutoBuild(chosen, [])).toEqual({ action: "build", backend: "cpu", reason: "no release build can run here" });
  expect(decideAutoBuild(chosen, [{ variant: "built-cpu" }])).toMatchObject({ action: "none" });
  const offered = { choice: { candidates: [], rejected: [], build: { backend: "cuda" as const, chosen: false, reason: "faster" } } };
  expect(decideAutoBuild(offered, [])).toMatchObject({ action: "offer", backend: "cuda" });
  expect(decideAutoBuild({ choice: { candidates: [], rejected: [] } }, [])).toMatchObject({ action: "none" });
  expect(decideAutoBuild(undefined, [])).toMatchObject({ action: "none" });
  // The backend of a build nobody named: the plan's, else the best for the hardware.
  const nvidia = await hwOf("nvidia-linux");
  expect(plannedBuildBackend({ hardware: nvidia, choice: { candidates: [], rejected: [] } }, { nvcc: true })).toBe("cuda");
  expect(plannedBuildBackend({ hardware: nvidia, choice: { candidates: [], rejected: [] } }, {})).toBe("vulkan");
  expect(plannedBuildBackend({ hardware: await hwOf("debian12-cpu"), choice: chosen.choice }, {})).toBe("cpu");
  expect(plannedBuildBackend(undefined, {})).toBe("cpu");
});

test("terminal line for a build waiting for tools", async () => {
  const { formatBuildProgress } = await import("../../engine/build/terminal-progress");
  const toolchain = checkToolchain("cpu", { which: () => undefined, exists: () => false, osRelease: DEBIAN });
  const line = formatBuildProgress({ backend: "cpu", tag: "t", logFile: "/l", percent: 0, step: "download", phase: "waiting", toolchain });
  expect(line).toBe("Engine build (cpu): no release build runs here; to build one, install cmake, c++ compiler: sudo apt install cmake build-essential, then press Check again in the Engine tab");
});
