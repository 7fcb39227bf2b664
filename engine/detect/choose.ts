/**
 * Which engine build to install: a pure function of the hardware, the
 * release's assets and the configured backend. Returns candidates best first
 * (the CPU build always last), each with the reasons it was picked, and the
 * builds that cannot run here with what to do about it.
 */
import type { Backend, EngineErrorCode, EngineErrorInfo } from "../types";
import { glibcNeeded, parseAssets, type ParsedAsset, type ReleaseAsset } from "../release/assets";
import { buildCandidate, type BuildCandidate, type BuildTools } from "./build-candidate";
import { compareVersions, type Gpu, type Hardware } from "./hardware";

export interface Candidate {
  asset: ParsedAsset;
  variant: string;
  backend: Backend;
  reasons: string[];
  /** Unpacked beside the build (the CUDA runtime DLLs for win-cuda12). */
  extraAssets: ParsedAsset[];
}

export interface Rejected {
  asset: ParsedAsset;
  variant: string;
  backend: Backend;
  code: EngineErrorCode;
  reason: string;
  hint?: string;
}

export interface Choice {
  candidates: Candidate[];
  rejected: Rejected[];
  /** What became of config engine.backend when it is not "auto". */
  override?: { backend: Backend; applied: boolean; reason: string };
  /** Set when no candidate is left. */
  error?: EngineErrorInfo;
  /** Building from source: chosen when no release build runs here, or offered when faster. */
  build?: BuildCandidate;
}

export type BackendOverride = Backend | "auto" | undefined;

const IMPORT_HINT = "import a build made for this machine with `easy-diffusion engine import <zip-or-folder>`";
/** CUDA 12 needs this Windows driver or newer. */
const CUDA12_MIN_DRIVER_WINDOWS = "527.41";
const CUDA_MIN_COMPUTE_CAP = "5.0";
/** Old Windows CPU variants, best first, with the feature each needs. */
const CPU_VARIANTS: Record<string, (hw: Hardware) => boolean> = {
  avx512: (hw) => hw.cpu.avx512,
  cpu: () => true,
  avx2: (hw) => hw.cpu.avx2,
  avx: (hw) => hw.cpu.avx,
  noavx: () => true,
};

function gib(bytes?: number): string {
  return bytes ? ` (${(bytes / 1024 ** 3).toFixed(0)} GiB)` : "";
}

/** Backends worth trying on this machine, best first, with why. */
function backendPlan(hw: Hardware): { backend: Backend; why: string }[] {
  const plan: { backend: Backend; why: string }[] = [];
  const byVendor = (v: Gpu["vendor"]) => hw.gpus.filter((g) => g.vendor === v).sort((a, b) => (b.vramBytes ?? 0) - (a.vramBytes ?? 0));
  const nvidia = byVendor("nvidia")[0];
  const amd = byVendor("amd").sort((a, b) => Number(!!a.integrated) - Number(!!b.integrated))[0];
  const intel = byVendor("intel")[0];
  if (hw.os === "darwin" && hw.arch === "arm64") plan.push({ backend: "metal", why: `Apple silicon: the macOS build runs on the GPU with Metal` });
  if (nvidia) {
    const name = `${nvidia.name}${gib(nvidia.vramBytes)}`;
    if (hw.os === "windows") plan.push({ backend: "cuda", why: `NVIDIA GPU ${name}: the CUDA 12 build is the fastest` });
    plan.push({
      backend: "vulkan",
      why:
        hw.os === "linux"
          ? `NVIDIA GPU ${name} on Linux: upstream publishes no Linux CUDA build, so Vulkan uses the GPU; ` +
            "for CUDA, build one and import it with `easy-diffusion engine import`"
          : `NVIDIA GPU ${name}: Vulkan also runs on it`,
    });
  }
  if (amd) {
    const name = `${amd.name}${gib(amd.vramBytes)}`;
    if (hw.os === "linux" && hw.rocm && !amd.integrated) plan.push({ backend: "rocm", why: `AMD GPU ${name} with ROCm ${hw.rocm} installed` });
    const noRocm = hw.os === "linux" && !hw.rocm ? ": no ROCm runtime in /opt/rocm, so Vulkan" : ": Vulkan";
    plan.push({ backend: "vulkan", why: `AMD GPU ${name}${noRocm}` });
    if (hw.os === "windows" && !amd.integrated) plan.push({ backend: "rocm", why: `AMD GPU ${name}: ROCm build as a second choice` });
  }
  if (intel) plan.push({ backend: "vulkan", why: `Intel GPU ${intel.name}: Vulkan` });
  const cpuWhy = hw.gpus.length ? "CPU build as the last resort (slow)" : "no supported GPU found: CPU build (slow)";
  plan.push({ backend: "cpu", why: cpuWhy });
  const seen = new Set<Backend>();
  return plan.filter((p) => !seen.has(p.backend) && seen.add(p.backend));
}

/** Why this build cannot run here, or undefined when it can. */
function incompatibility(hw: Hardware, a: ParsedAsset): Omit<Rejected, "asset" | "variant" | "backend"> | undefined {
  const info = a.info;
  const needGlibc = glibcNeeded(info);
  if (needGlibc) {
    if (!hw.glibc)
      return {
        code: "glibc_too_old",
        reason: `this engine needs glibc ${needGlibc}, and none was found on your system (musl?)`,
        hint: `try another build or ${IMPORT_HINT}`,
      };
    if (compareVersions(hw.glibc, needGlibc) < 0)
      return {
        code: "glibc_too_old",
        reason: `this engine needs glibc ${needGlibc}, your system has ${hw.glibc}`,
        hint:
          `upgrade to a system with glibc ${needGlibc} or newer (Ubuntu 24.04, Debian 13), ` +
          `or ${IMPORT_HINT} (e.g. a Vulkan or CPU build compiled on this system)`,
      };
  }
  if (info.backend === "vulkan" && hw.vulkanLoader === false)
    return hw.os === "windows"
      ? { code: "missing_library", reason: "vulkan-1.dll missing", hint: "install or update your GPU driver, which brings the Vulkan loader" }
      : {
          code: "missing_library",
          reason: "libvulkan.so.1 missing",
          hint:
            "install the Vulkan loader and driver: `sudo apt install libvulkan1 mesa-vulkan-drivers` (Debian/Ubuntu) " +
            "or your distribution's vulkan-loader package",
        };
  if (info.backend === "cuda") {
    const gpu = hw.gpus.find((g) => g.vendor === "nvidia");
    if (gpu?.computeCap && compareVersions(gpu.computeCap, CUDA_MIN_COMPUTE_CAP) < 0)
      return { code: "no_device", reason: `${gpu.name} (compute capability ${gpu.computeCap}) is too old for CUDA 12`, hint: "use the Vulkan or CPU build" };
    if (hw.os === "windows" && gpu?.driverVersion && compareVersions(gpu.driverVersion, CUDA12_MIN_DRIVER_WINDOWS) < 0)
      return {
        code: "no_device",
        reason: `NVIDIA driver ${gpu.driverVersion} is too old for CUDA 12 (needs ${CUDA12_MIN_DRIVER_WINDOWS} or newer)`,
        hint: "update the NVIDIA driver",
      };
  }
  if (info.backend === "cpu" && info.variant in CPU_VARIANTS && hw.cpu.featuresKnown && !CPU_VARIANTS[info.variant]!(hw))
    return { code: "no_device", reason: `this CPU lacks ${info.variant.toUpperCase()}`, hint: "use a build for older CPUs" };
  return undefined;
}

function notes(hw: Hardware, a: ParsedAsset, extra: ParsedAsset[]): string[] {
  const out: string[] = [];
  const needGlibc = glibcNeeded(a.info);
  if (needGlibc && hw.glibc) out.push(`glibc ${hw.glibc} meets the build's ${needGlibc}`);
  if (a.info.backend === "cpu" && a.info.variant === "cpu" && hw.cpu.featuresKnown && !hw.cpu.avx2 && hw.arch === "x64")
    out.push(`this CPU lacks AVX2: the CPU build may stop with "illegal instruction"; if it does, ${IMPORT_HINT}`);
  if (a.info.os === "darwin" && a.info.builtOn && hw.osVersion && compareVersions(hw.osVersion, a.info.builtOn) < 0)
    out.push(`built on macOS ${a.info.builtOn}, this Mac runs ${hw.osVersion}: if it does not start, update macOS or ${IMPORT_HINT}`);
  if (a.info.backend === "cuda" && a.info.os === "windows")
    out.push(
      extra.length
        ? `with the CUDA ${a.info.cuda} runtime (${extra[0]!.name})`
        : `the CUDA ${a.info.cuda} runtime is not in this release: the CUDA toolkit must be installed`,
    );
  return out;
}

function sortWithinBackend(a: ParsedAsset, b: ParsedAsset): number {
  const order = Object.keys(CPU_VARIANTS);
  const ia = order.indexOf(a.info.variant);
  const ib = order.indexOf(b.info.variant);
  if (ia !== ib) return ia - ib;
  // rocm-7.0 before rocm-6.4; otherwise by name for a stable order.
  return b.info.variant.localeCompare(a.info.variant, "en", { numeric: true }) || a.name.localeCompare(b.name);
}

export function choose(hw: Hardware, releaseAssets: ReleaseAsset[], override?: BackendOverride, tools: BuildTools = {}): Choice {
  const assets = parseAssets(releaseAssets).filter((a) => a.info.os === hw.os && a.info.arch === (hw.arch === "x64" ? "x64" : "arm64"));
  const builds = assets.filter((a) => a.info.kind === "build");
  const runtimes = assets.filter((a) => a.info.kind === "runtime");
  const candidates: Candidate[] = [];
  const rejected: Rejected[] = [];
  const plan = backendPlan(hw);
  // A configured backend is tried even where no matching GPU was seen: detection can miss one.
  if (override && override !== "auto" && !plan.some((p) => p.backend === override))
    plan.unshift({ backend: override, why: `engine.backend is set to ${override} (no matching GPU was detected)` });
  for (const { backend, why } of plan) {
    for (const asset of builds.filter((a) => a.info.backend === backend).sort(sortWithinBackend)) {
      const bad = incompatibility(hw, asset);
      if (bad) {
        rejected.push({ asset, variant: asset.info.variant, backend, ...bad });
        continue;
      }
      const extraAssets = backend === "cuda" ? runtimes.filter((r) => r.info.cuda === asset.info.cuda) : [];
      candidates.push({ asset, variant: asset.info.variant, backend, reasons: [why, ...notes(hw, asset, extraAssets)], extraAssets });
    }
  }
  const choice: Choice = { candidates, rejected };
  if (override && override !== "auto") choice.override = applyOverride(choice, override, hw);
  if (candidates.length === 0) choice.error = nothingFits(hw, rejected);
  const build = buildCandidate(hw, [...new Set(candidates.map((c) => c.backend))], tools);
  if (build) choice.build = build;
  return choice;
}

function applyOverride(choice: Choice, backend: Backend, hw: Hardware): NonNullable<Choice["override"]> {
  const i = choice.candidates.findIndex((c) => c.backend === backend);
  if (i >= 0) {
    const [picked] = choice.candidates.splice(i, 1);
    if (!picked!.reasons[0]!.startsWith("engine.backend")) picked!.reasons.unshift(`engine.backend is set to ${backend}`);
    choice.candidates.unshift(picked!);
    return { backend, applied: true, reason: `using the ${picked!.variant} build as configured` };
  }
  const rej = choice.rejected.find((r) => r.backend === backend);
  if (rej) return { backend, applied: false, reason: `the ${rej.variant} build cannot run here: ${rej.reason}${rej.hint ? ` → ${rej.hint}` : ""}` };
  if (backend === "cuda" && hw.os === "linux")
    return { backend, applied: false, reason: `upstream publishes no CUDA build for Linux; build one and ${IMPORT_HINT}` };
  return { backend, applied: false, reason: `this release has no ${backend} build for ${hw.os} ${hw.arch}` };
}

function nothingFits(hw: Hardware, rejected: Rejected[]): EngineErrorInfo {
  const glibc = rejected.find((r) => r.code === "glibc_too_old");
  if (glibc) return { code: "glibc_too_old", message: glibc.reason, hint: glibc.hint };
  if (rejected[0]) return { code: rejected[0].code, message: `no engine build can run here: ${rejected[0].reason}`, hint: rejected[0].hint ?? IMPORT_HINT };
  return { code: "no_candidate", message: `this release has no engine build for ${hw.os} ${hw.arch}`, hint: IMPORT_HINT };
}
