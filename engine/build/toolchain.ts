/**
 * Can this machine build the engine for a backend? Checks CMake, a C++17
 * compiler and the backend's SDK (Vulkan headers + glslc, CUDA nvcc, ROCm
 * hipcc) through injected probes, and lists each missing item with the
 * exact install command for this distribution (apt, dnf, pacman, zypper,
 * from /etc/os-release). Pure given the probes; the app never runs sudo.
 */
import { existsSync, readFileSync } from "node:fs";
import type { BuildBackend } from "./cmake-flags";

export interface ToolchainProbes {
  /** Path of a program on PATH, or undefined. */
  which(cmd: string): string | undefined;
  /** Whether a file exists. */
  exists(path: string): boolean;
  /** Text of /etc/os-release, or undefined where there is none. */
  osRelease?: string;
}

export type PackageManager = "apt" | "dnf" | "pacman" | "zypper";

export interface ToolItem {
  /** What it is: "cmake", "c++ compiler", "vulkan headers", "glslc", "nvcc", "hipcc". */
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
  "vulkan headers": { apt: ["libvulkan-dev"], dnf: ["vulkan-headers", "vulkan-loader-devel"], pacman: ["vulkan-headers", "vulkan-icd-loader"], zypper: ["vulkan-devel"] },
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
  const item = (name: string, path: string | undefined): ToolItem => ({ name, found: !!path, ...(path ? { path } : {}), ...(pm ? { packages: PACKAGES[name]![pm] } : {}) });
  const items: ToolItem[] = [item("cmake", firstFound(p, ["cmake"])), item("c++ compiler", firstFound(p, ["c++", "g++", "clang++"]))];
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

/** The real probes: PATH lookup, the file system and /etc/os-release. */
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
  };
}
