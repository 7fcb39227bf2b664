/** Runs every probe and merges them into one Hardware description. */
import { probeApple } from "./apple";
import { probeCpu } from "./cpu";
import { probeDrm } from "./drm";
import { osName, type Hardware } from "./hardware";
import { probeNvidia } from "./nvidia";
import { systemProbeIO, type ProbeIO } from "./probe-io";
import { probeGlibc, probeRocm, probeVulkanLoader } from "./system";

export async function detectHardware(io: ProbeIO = systemProbeIO()): Promise<Hardware> {
  const [nvidia, drm, apple, cpu, glibc, vulkanLoader, rocm] = await Promise.all([
    probeNvidia(io),
    probeDrm(io),
    probeApple(io),
    probeCpu(io),
    probeGlibc(io),
    probeVulkanLoader(io),
    probeRocm(io),
  ]);
  // nvidia-smi knows more than sysfs; keep sysfs NVIDIA entries only when it is missing.
  const sysNvidia = drm.filter((g) => g.vendor === "nvidia").map((g) => ({ ...g, driverVersion: nvidia.driverVersion }));
  const gpus = [...nvidia.gpus, ...(nvidia.gpus.length ? [] : sysNvidia), ...drm.filter((g) => g.vendor !== "nvidia"), ...apple.gpus];
  const os = osName(io.platform);
  return {
    os,
    osVersion: os === "darwin" ? apple.macosVersion : io.osRelease || undefined,
    arch: io.arch,
    glibc,
    cpu,
    gpus,
    vulkanLoader,
    rocm,
  };
}
