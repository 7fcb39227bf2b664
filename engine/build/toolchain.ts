/**
 * Can this machine build the engine for a backend? Checks CMake, a C++
 * compiler that compiles C++17 (a tiny file built in a temp folder by the
 * real compiler) and the backend's SDK (Vulkan headers + glslc, CUDA nvcc, ROCm
 * hipcc) through injected probes, and lists each missing item with the
 * exact install command for this distribution (apt, dnf, pacman, zypper,
 * from /etc/os-release). Pure given the probes; the app never runs sudo.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BuildTools } from "../detect/build-candidate";
import type { BuildBackend } from "./cmake-flags";
import { removeTree } from "../../core/files/remove-tree";

export interface ToolchainProbes {
  /** Path of a program on PATH, or undefined. */
  which(cmd: string): string | undefined;
  /** Whether a file exists. */
  exists(path: string): boolean;
  /** Text of /etc/os-release, or undefined where there is none. */
  osRelease?: string;
  /** Whether the compiler at this path compiles C++17; absent: not checked (assumed yes). */
  cxx17?(compiler: string): boolean;
}

export type PackageManager = "apt" | "dnf" | "pacman" | "zypper";

export interface ToolItem {
  /** What it is: "cmake", "c++ compiler", "c++17 support", "vulkan headers", "glslc", "nvcc", "hipcc". */
  name: string;
  found: boolean;
  /** Where it was found. */
  path?: string;
  /** The package(s) that bring it on this distribution. */
  packages?: string[];
}

export interface ToolchainReport {
  backend: BuildBackend;
  ok: boolean;
  items: ToolItem[];
  missing: string[];
  packageManager?: PackageManager;
  /** One command installing everything missing, for the copy button; absent when nothing is missing or the distribution is unknown. */
  installCommand?: string;
  /** Plain advice when no command can be given. */
  hint?: string;
}

/** Packages per item and package manager. */
const PACKAGES: Record<string, Record<PackageManager, string[]>> = {
  cmake: { apt: ["cmake"], dnf: ["cmake"], pacman: ["cmake"], zypper: ["cmake"] },
  "c++ compiler": { apt: ["build-essential"], dnf: ["gcc-c++", "make"], pacman: ["base-devel"], zypper: ["gcc-c++", "make"] },
  // The distribution's current compiler; an older one installed by hand does not know -std=c++17.
  "c++17 support": { apt: ["g++"], dnf: ["gcc-c++"], pacman: ["gcc"], zypper: ["gcc-c++"] },
  "vulkan headers": {
    apt: ["libvulkan-dev"],
    dnf: ["vulkan-headers", "vulkan-loader-devel"],
    pacman: ["vulkan-headers", "vulkan-icd-loader"],
    zypper: ["vulkan-devel"],
  },
  glslc: { apt: ["glslc"], dnf: ["glslc"], pacman: ["shaderc"], zypper: ["shaderc"] },
  nvcc: { apt: ["nvidia-cuda-toolkit"], dnf: ["cuda-toolkit"], pacman: ["cuda"], zypper: ["cuda-toolkit"] },
  hipcc: { apt: ["hipcc", "rocm-hip-sdk"], dnf: ["rocm-hip-devel", "hipcc"], pacman: ["rocm-hip-sdk"], zypper: ["rocm-hip-devel"] },
};

const INSTALL: Record<PackageManager, (pkgs: string[]) => string> = {
  apt: (p) => `sudo apt install ${p.join(" ")}`,
  dnf: (p) => `sudo dnf install ${p.join(" ")}`,
  pacman: (p) => `sudo pacman -S --needed ${p.join(" ")}`,
  zypper: (p) => `sudo zypper install ${p.join(" ")}`,
};

/** The package manager of the distribution described by /etc/os-release (ID, then ID_LIKE). */
export function packageManagerFor(osRelease: string | undefined): PackageManager | undefined {
  if (!osRelease) return undefined;
  const field = (k: string) => (new RegExp(`^${k}=(.*)$`, "m").exec(osRelease)?.[1] ?? "").replace(/^["']|["']$/g, "").toLowerCase();
  const ids = [field("ID"), ...field("ID_LIKE").split(/\s+/)].filter(Boolean);
  for (const id of ids) {
    if (["debian", "ubuntu", "linuxmint", "pop", "raspbian"].includes(id)) return "apt";
    if (["fedora", "rhel", "centos", "rocky", "almalinux"].includes(id)) return "dnf";
    if (["arch", "manjaro", "endeavouros"].includes(id)) return "pacman";
    if (id.startsWith("opensuse") || id === "suse" || id === "sles") return "zypper";
  }
  return undefined;
}

function firstFound(p: ToolchainProbes, cmds: string[], paths: string[] = []): string | undefined {
  for (const c of cmds) {
    const w = p.which(c);
    if (w) return w;
  }
  return paths.find((f) => p.exists(f));
}

export function checkToolchain(backend: BuildBackend, p: ToolchainProbes): ToolchainReport {
  const pm = packageManagerFor(p.osRelease);
  const item = (name: string, path: string | undefined): ToolItem => ({
    name,
    found: !!path,
    ...(path ? { path } : {}),
    ...(pm ? { packages: PACKAGES[name]![pm] } : {}),
  });
  const compiler = firstFound(p, ["c++", "g++", "clang++"]);
  const items: ToolItem[] = [item("cmake", firstFound(p, ["cmake"])), item("c++ compiler", compiler)];
  if (compiler && p.cxx17) items.push(item("c++17 support", p.cxx17(compiler) ? compiler : undefined));
  if (backend === "vulkan") {
    items.push(item("vulkan headers", firstFound(p, [], ["/usr/include/vulkan/vulkan.h", "/usr/local/include/vulkan/vulkan.h"])));
    items.push(item("glslc", firstFound(p, ["glslc"])));
  }
  if (backend === "cuda") items.push(item("nvcc", firstFound(p, ["nvcc"], ["/usr/local/cuda/bin/nvcc", "/opt/cuda/bin/nvcc"])));
  if (backend === "rocm") items.push(item("hipcc", firstFound(p, ["hipcc"], ["/opt/rocm/bin/hipcc"])));
  const missing = items.filter((i) => !i.found).map((i) => i.name);
  const report: ToolchainReport = { backend, ok: missing.length === 0, items, missing, ...(pm ? { packageManager: pm } : {}) };
  if (missing.length && pm) {
    const pkgs = [...new Set(items.filter((i) => !i.found).flatMap((i) => i.packages ?? []))];
    report.installCommand = INSTALL[pm](pkgs);
  } else if (missing.length) {
    report.hint = `install ${missing.join(", ")} with your system's package manager, then check again`;
  }
  return report;
}

/** A file only a C++17 compiler accepts (if constexpr, structured bindings, std::optional). */
const CXX17_PROBE = `#include <optional>
#include <utility>
int main() {
  auto [a, b] = std::pair<int, int>(1, 2);
  std::optional<int> o = a + b;
  if constexpr (sizeof(int) > 0) return *o - 3;
  return 0;
}
`;

/** Compiles CXX17_PROBE with `-std=c++17` in a temp folder; true when the compiler accepts it. */
export function compilesCxx17(compiler: string, env: Record<string, string | undefined> = process.env): boolean {
  const dir = mkdtempSync(join(tmpdir(), "ed-cxx17-"));
  try {
    writeFileSync(join(dir, "probe.cpp"), CXX17_PROBE);
    const r = Bun.spawnSync([compiler, "-std=c++17", "-c", "probe.cpp", "-o", "probe.o"], {
      cwd: dir,
      env: { ...process.env, ...env } as Record<string, string>,
      stdout: "ignore",
      stderr: "ignore",
    });
    return r.exitCode === 0;
  } catch {
    return false;
  } finally {
    removeTree(dir);
  }
}

/** Which backend SDKs are installed (for the plan's build candidate). */
export function detectBuildTools(p: ToolchainProbes): BuildTools {
  return {
    nvcc: !!firstFound(p, ["nvcc"], ["/usr/local/cuda/bin/nvcc", "/opt/cuda/bin/nvcc"]),
    hipcc: !!firstFound(p, ["hipcc"], ["/opt/rocm/bin/hipcc"]),
    vulkanSdk: !!firstFound(p, ["glslc"]) && !!firstFound(p, [], ["/usr/include/vulkan/vulkan.h", "/usr/local/include/vulkan/vulkan.h"]),
  };
}

/** The real probes: PATH lookup, the file system, /etc/os-release and a C++17 test compile. */
export function systemProbes(env: Record<string, string | undefined> = process.env): ToolchainProbes {
  let osRelease: string | undefined;
  try {
    osRelease = readFileSync("/etc/os-release", "utf8");
  } catch {
    osRelease = undefined;
  }
  return {
    which: (cmd) => Bun.which(cmd, { PATH: env.PATH ?? "" }) ?? undefined,
    exists: (f) => existsSync(f),
    osRelease,
    cxx17: (compiler) => compilesCxx17(compiler, env),
  };
}
