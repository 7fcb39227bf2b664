/** CPU model and vector features: /proc/cpuinfo on Linux, sysctl on macOS. */
import type { CpuInfo } from "./hardware";
import type { ProbeIO } from "./probe-io";

export function parseCpuinfo(text: string): CpuInfo {
  const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(text)?.[1] ?? "").split(/\s+/));
  const model = /^model name\s*:\s*(.*)$/m.exec(text)?.[1]?.trim();
  const known = flags.size > 1;
  return { model, avx: flags.has("avx"), avx2: flags.has("avx2"), avx512: flags.has("avx512f"), featuresKnown: known };
}

/** `machdep.cpu.features` + `leaf7_features` on Intel Macs (AVX1.0, AVX2, AVX512F). */
export function parseMacFeatures(text: string): Pick<CpuInfo, "avx" | "avx2" | "avx512"> {
  const f = new Set(text.toUpperCase().split(/\s+/));
  return { avx: f.has("AVX1.0") || f.has("AVX"), avx2: f.has("AVX2"), avx512: f.has("AVX512F") };
}

export async function probeCpu(io: ProbeIO): Promise<CpuInfo> {
  if (io.platform === "linux") {
    const text = await io.readFile("/proc/cpuinfo");
    if (text) {
      const info = parseCpuinfo(text);
      // ARM has no AVX: its features are known (absent), not unknown.
      return io.arch === "arm64" ? { ...info, featuresKnown: true } : info;
    }
  }
  if (io.platform === "darwin") {
    const brand = (await io.run(["sysctl", "-n", "machdep.cpu.brand_string"]))?.stdout.trim();
    if (io.arch === "arm64") return { model: brand, avx: false, avx2: false, avx512: false, featuresKnown: true };
    const feats = await io.run(["sysctl", "-n", "machdep.cpu.features", "machdep.cpu.leaf7_features"]);
    if (feats?.code === 0) return { model: brand, ...parseMacFeatures(feats.stdout), featuresKnown: true };
    return { model: brand, avx: true, avx2: true, avx512: false, featuresKnown: false };
  }
  // Windows and unreadable cases: 64-bit Windows builds assume AVX2; say we did not check.
  return { avx: true, avx2: true, avx512: false, featuresKnown: false };
}
