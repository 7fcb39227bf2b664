/**
 * CPU use of a process and all its descendants, from /proc (Linux): what
 * bench/startup.ts reads as the window's idle CPU.
 */
import { readdirSync, readFileSync } from "node:fs";

const CLK_TCK = 100;

/** The process and all its descendants. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      parents.set(Number(p), Number(readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ")[1]));
    } catch {
      // Gone.
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [child, parent] of parents) if (parent === out[i]) out.push(child);
  return out;
}

function cpuTicks(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "?";
  }
}

/** Percent of one core each of `pids` used over `ms` (the first named "server"), and their total. */
export async function cpuPercent(pids: number[], ms: number): Promise<{ total: number; parts: string[] }> {
  const before = pids.map(cpuTicks);
  const t = performance.now();
  await Bun.sleep(ms);
  const seconds = (performance.now() - t) / 1000;
  const used = pids.map((pid, j) => ((cpuTicks(pid) - before[j]!) / CLK_TCK / seconds) * 100);
  return {
    total: used.reduce((a, b) => a + b, 0),
    parts: pids.map((pid, j) => `${j === 0 ? "server" : comm(pid)} ${used[j]!.toFixed(2)}%`),
  };
}
