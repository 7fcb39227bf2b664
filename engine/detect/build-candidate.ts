/**
 * The "build from source" candidate of the engine plan: pure, from the
 * hardware, what choose() found, and which backend SDKs are installed.
 * Chosen automatically when no release build can run here (glibc too old,
 * no build for this OS/arch); offered as the better choice when it would be
 * faster (Linux + NVIDIA with a CUDA toolkit → a CUDA build, Linux + AMD with
 * ROCm's hipcc → a ROCm build, where releases only give Vulkan).
 */
import type { BuildBackend } from "../build/cmake-flags";
import type { Gpu, Hardware } from "./hardware";

/** Which backend SDKs were found (toolchain probes); unknown counts as absent. */
export interface BuildTools {
  nvcc?: boolean;
  hipcc?: boolean;
  vulkanSdk?: boolean;
}

export interface BuildCandidate {
  backend: BuildBackend;
  /** true: no release build runs here, so building is the plan; false: offered as faster. */
  chosen: boolean;
  reason: string;
}

/** Source builds are supported where upstream's CMake build works unattended. */
const BUILDABLE_OS: Hardware["os"][] = ["linux"];

function has(hw: Hardware, vendor: Gpu["vendor"]): Gpu | undefined {
  return hw.gpus.find((g) => g.vendor === vendor && !g.integrated) ?? hw.gpus.find((g) => g.vendor === vendor);
}

/** The best backend to build here, with why (also what `engine build` without --backend builds). */
export function bestBuildBackend(hw: Hardware, tools: BuildTools): { backend: BuildBackend; why: string } {
  const nvidia = has(hw, "nvidia");
  const amd = has(hw, "amd");
  if (nvidia && tools.nvcc) return { backend: "cuda", why: `NVIDIA GPU ${nvidia.name} with the CUDA toolkit installed: a CUDA build is the fastest` };
  if (amd && !amd.integrated && tools.hipcc) return { backend: "rocm", why: `AMD GPU ${amd.name} with ROCm's hipcc installed: a ROCm build` };
  const gpu = nvidia ?? amd ?? has(hw, "intel");
  if (gpu && hw.vulkanLoader !== false) return { backend: "vulkan", why: `GPU ${gpu.name}: a Vulkan build uses it` };
  return { backend: "cpu", why: gpu ? "no usable GPU backend: a CPU build (slow)" : "no supported GPU found: a CPU build (slow)" };
}

/**
 * `releaseBackends`: backends of the release builds that can run here, best first (empty when none).
 * Returns undefined when building would not help.
 */
export function buildCandidate(hw: Hardware, releaseBackends: string[], tools: BuildTools): BuildCandidate | undefined {
  if (!BUILDABLE_OS.includes(hw.os)) return undefined;
  const best = bestBuildBackend(hw, tools);
  if (releaseBackends.length === 0)
    return { backend: best.backend, chosen: true, reason: `no release build can run here, so the engine is built from source on this machine; ${best.why}` };
  if ((best.backend === "cuda" || best.backend === "rocm") && !releaseBackends.includes(best.backend))
    return { backend: best.backend, chosen: false, reason: `${best.why}; the release only offers ${releaseBackends[0]}: "Build for this machine" is faster` };
  return undefined;
}
