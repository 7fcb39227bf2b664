/**
 * What the engine chooser needs to know about this machine. Filled in by the
 * probes in this folder; recorded as fixtures under tests/fixtures/probes.
 */

export type OsName = "linux" | "windows" | "darwin" | "other";
export type GpuVendor = "nvidia" | "amd" | "intel" | "apple" | "other";

export interface Gpu {
  vendor: GpuVendor;
  name: string;
  /** Dedicated memory; undefined when the driver does not say. */
  vramBytes?: number;
  /** NVIDIA driver version, e.g. "550.54.14". */
  driverVersion?: string;
  /** NVIDIA compute capability, e.g. "8.9". */
  computeCap?: string;
  /** PCI ids as "0x10de:0x2684". */
  pciId?: string;
  /** Shares system memory (an iGPU or Apple silicon). */
  integrated?: boolean;
}

export interface CpuInfo {
  model?: string;
  avx: boolean;
  avx2: boolean;
  avx512: boolean;
  /** false when the features could not be read (they are then assumed present). */
  featuresKnown: boolean;
}

export interface Hardware {
  os: OsName;
  /** Kernel release, Windows build or macOS product version. */
  osVersion?: string;
  arch: string;
  /** Linux only; undefined on musl or when unreadable. */
  glibc?: string;
  cpu: CpuInfo;
  gpus: Gpu[];
  /** Vulkan loader (libvulkan.so.1 / vulkan-1.dll) found; undefined where not checked (macOS). */
  vulkanLoader?: boolean;
  /** Installed ROCm runtime version (Linux /opt/rocm), if any. */
  rocm?: string;
}

export function osName(platform: string): OsName {
  if (platform === "linux") return "linux";
  if (platform === "win32") return "windows";
  if (platform === "darwin") return "darwin";
  return "other";
}

/** Compares dotted versions numerically: "2.36" < "2.39" < "2.39.1". */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** One line for logs and the Engine tab. */
export function describeHardware(hw: Hardware): string {
  const gpus = hw.gpus.length ? hw.gpus.map((g) => g.name).join(", ") : "no GPU found";
  const glibc = hw.glibc ? `, glibc ${hw.glibc}` : "";
  return `${hw.os} ${hw.arch}${glibc}; CPU ${hw.cpu.model ?? "unknown"}; ${gpus}`;
}
