/**
 * Release asset names → what they hold. Upstream names are
 * `sd-master-<sha7>-bin-<suffix>.zip` (see tests/fixtures/sd-server/README.md).
 */
import type { Backend } from "../types";
import type { OsName } from "../detect/hardware";

/** One asset as the GitHub release API lists it. */
export interface ReleaseAsset {
  name: string;
  size: number;
  /** "sha256:<hex>", when GitHub computed it. */
  digest?: string;
  url: string;
}

export interface Release {
  tag: string;
  assets: ReleaseAsset[];
}

export interface AssetInfo {
  os: OsName;
  arch: "x64" | "arm64";
  backend: Backend;
  /** Install folder name: cpu, vulkan, cuda12, rocm-6.4, metal, avx2 … */
  variant: string;
  /** A build holding sd-server, or a runtime library pack (cudart) that goes beside one. */
  kind: "build" | "runtime";
  /** The Ubuntu release a Linux build was made on, or the macOS version of a Darwin build. */
  builtOn?: string;
  /** For a CUDA build or runtime: the CUDA major version. */
  cuda?: string;
}

export interface ParsedAsset extends ReleaseAsset {
  info: AssetInfo;
}

const LINUX = /-bin-Linux-Ubuntu-(\d+\.\d+)-(x86_64|aarch64|arm64)(?:-(vulkan|cuda(\d+)|rocm-([\w.]+)))?\.zip$/;
const DARWIN = /-bin-Darwin-macOS-([\d.]+)-(arm64|x64|x86_64)\.zip$/;
const WINDOWS = /-bin-win-(cpu|noavx|avx|avx2|avx512|vulkan|cuda(\d+)|rocm-([\w.]+))-(x64|arm64)\.zip$/;
const CUDART = /^cudart-.*-win-cu(\d+)-(x64)\.zip$/;

function archOf(s: string): "x64" | "arm64" {
  return s === "x86_64" || s === "x64" ? "x64" : "arm64";
}

/** undefined for names that are not engine builds (source archives, other tools). */
export function parseAssetName(name: string): AssetInfo | undefined {
  let m = CUDART.exec(name);
  if (m) return { os: "windows", arch: archOf(m[2]!), backend: "cuda", variant: `cudart-cu${m[1]}`, kind: "runtime", cuda: m[1] };
  m = LINUX.exec(name);
  if (m) {
    const [, ubuntu, arch, flavour, cuda, rocm] = m;
    const base = { os: "linux" as const, arch: archOf(arch!), kind: "build" as const, builtOn: ubuntu };
    if (!flavour) return { ...base, backend: "cpu", variant: "cpu" };
    if (flavour === "vulkan") return { ...base, backend: "vulkan", variant: "vulkan" };
    if (cuda) return { ...base, backend: "cuda", variant: `cuda${cuda}`, cuda };
    return { ...base, backend: "rocm", variant: `rocm-${rocm}` };
  }
  m = DARWIN.exec(name);
  if (m) return { os: "darwin", arch: archOf(m[2]!), backend: "metal", variant: "metal", kind: "build", builtOn: m[1] };
  m = WINDOWS.exec(name);
  if (m) {
    const [, flavour, cuda, rocm, arch] = m;
    const base = { os: "windows" as const, arch: archOf(arch!), kind: "build" as const };
    if (cuda) return { ...base, backend: "cuda", variant: `cuda${cuda}`, cuda };
    if (rocm) return { ...base, backend: "rocm", variant: `rocm-${rocm}` };
    if (flavour === "vulkan") return { ...base, backend: "vulkan", variant: "vulkan" };
    return { ...base, backend: "cpu", variant: flavour! };
  }
  return undefined;
}

export function parseAssets(assets: ReleaseAsset[]): ParsedAsset[] {
  const out: ParsedAsset[] = [];
  for (const a of assets) {
    const info = parseAssetName(a.name);
    if (info) out.push({ ...a, info });
  }
  return out;
}

/** glibc each Ubuntu LTS ships; a Linux build needs at least its builder's. */
export const UBUNTU_GLIBC: Record<string, string> = { "20.04": "2.31", "22.04": "2.35", "24.04": "2.39", "26.04": "2.43" };

export function glibcNeeded(info: AssetInfo): string | undefined {
  if (info.os !== "linux") return undefined;
  return (info.builtOn && UBUNTU_GLIBC[info.builtOn]) ?? "2.39";
}
