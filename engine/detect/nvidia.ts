/** NVIDIA GPUs through nvidia-smi, with the kernel module's version file as a fallback. */
import type { Gpu } from "./hardware";
import type { ProbeIO } from "./probe-io";

export const NVIDIA_SMI_QUERY = ["nvidia-smi", "--query-gpu=name,driver_version,compute_cap,memory.total", "--format=csv,noheader"];

/** Parses lines like `NVIDIA GeForce RTX 4090, 550.54.14, 8.9, 24564 MiB`. */
export function parseNvidiaSmi(stdout: string): Gpu[] {
  const gpus: Gpu[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const parts = line.split(",").map((s) => s.trim());
    if (parts.length < 4 || !parts[0]) continue;
    const [name, driver, cap, mem] = parts as [string, string, string, string];
    const mib = /^(\d+)\s*MiB$/i.exec(mem);
    gpus.push({
      vendor: "nvidia",
      name,
      driverVersion: /^\d/.test(driver) ? driver : undefined,
      computeCap: /^\d+\.\d+$/.test(cap) ? cap : undefined,
      vramBytes: mib ? Number(mib[1]) * 1024 * 1024 : undefined,
    });
  }
  return gpus;
}

/** `NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 …` → 550.54.14 */
export function parseNvidiaProcVersion(text: string): string | undefined {
  return /Kernel Module\s+(?:for \S+\s+)?(\d+(?:\.\d+)+)/.exec(text)?.[1];
}

export async function probeNvidia(io: ProbeIO): Promise<{ gpus: Gpu[]; driverVersion?: string }> {
  const smi = io.platform === "win32" || io.platform === "linux" ? await io.run(NVIDIA_SMI_QUERY) : undefined;
  const gpus = smi && smi.code === 0 ? parseNvidiaSmi(smi.stdout) : [];
  const proc = io.platform === "linux" ? await io.readFile("/proc/driver/nvidia/version") : undefined;
  const driverVersion = gpus[0]?.driverVersion ?? (proc ? parseNvidiaProcVersion(proc) : undefined);
  return { gpus, driverVersion };
}
