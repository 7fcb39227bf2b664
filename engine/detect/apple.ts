/** Apple silicon: the GPU is part of the SoC and shares the machine's memory. */
import type { Gpu } from "./hardware";
import type { ProbeIO } from "./probe-io";

export async function probeApple(io: ProbeIO): Promise<{ gpus: Gpu[]; macosVersion?: string }> {
  if (io.platform !== "darwin") return { gpus: [] };
  const macosVersion = (await io.run(["sw_vers", "-productVersion"]))?.stdout.trim() || undefined;
  if (io.arch !== "arm64") return { gpus: [], macosVersion };
  const brand = (await io.run(["sysctl", "-n", "machdep.cpu.brand_string"]))?.stdout.trim() || "Apple silicon";
  const mem = Number((await io.run(["sysctl", "-n", "hw.memsize"]))?.stdout.trim());
  return { gpus: [{ vendor: "apple", name: `${brand} GPU`, vramBytes: Number.isFinite(mem) && mem > 0 ? mem : undefined, integrated: true }], macosVersion };
}
