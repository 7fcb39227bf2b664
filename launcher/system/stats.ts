/**
 * RAM and VRAM in use, for the status bar. Probes are injected so tests and
 * other platforms can supply their own; sampling runs only while someone
 * listens to the event bus.
 */
import { readdirSync, readFileSync } from "node:fs";
import { freemem, totalmem } from "node:os";
import type { EventBus, SystemStats } from "../../core/events/bus";

export type VramProbe = () => Promise<{ used: number; total: number; gpus?: { used: number; total: number }[] } | null>;

/** `nvidia-smi --query-gpu=memory.used,memory.total --format=csv,noheader,nounits` (MiB) → bytes per GPU, in its order. */
export function parseNvidiaSmiMemory(text: string): { used: number; total: number }[] {
  return text
    .trim()
    .split("\n")
    .map((line) => line.split(",").map((s) => Number(s.trim()) * 1024 * 1024))
    .filter(([u, t]) => Number.isFinite(u) && Number.isFinite(t) && t! > 0)
    .map(([used, total]) => ({ used: used!, total: total! }));
}

/** Linux: MemAvailable is what the kernel can hand out; "used" is the rest. */
export function readRam(meminfo?: string): { used: number; total: number } {
  if (meminfo) {
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(meminfo)?.[1] ?? NaN) * 1024;
    const total = kb("MemTotal");
    const avail = kb("MemAvailable");
    if (Number.isFinite(total) && Number.isFinite(avail)) return { used: total - avail, total };
  }
  return { used: totalmem() - freemem(), total: totalmem() };
}

/** AMD and Intel discrete GPUs expose VRAM use in sysfs; NVIDIA needs nvidia-smi. */
export const sysfsVram: VramProbe = async () => {
  try {
    let used = 0;
    let total = 0;
    for (const card of readdirSync("/sys/class/drm").filter((n) => /^card\d+$/.test(n))) {
      try {
        used += Number(readFileSync(`/sys/class/drm/${card}/device/mem_info_vram_used`, "utf8"));
        total += Number(readFileSync(`/sys/class/drm/${card}/device/mem_info_vram_total`, "utf8"));
      } catch {
        // not an amdgpu card
      }
    }
    return total > 0 ? { used, total } : null;
  } catch {
    return null;
  }
};

export const nvidiaSmiVram: VramProbe = async () => {
  const exe = Bun.which("nvidia-smi");
  if (!exe) return null;
  try {
    const proc = Bun.spawn([exe, "--query-gpu=memory.used,memory.total", "--format=csv,noheader,nounits"], {
      stdout: "pipe",
      stderr: "ignore",
      windowsHide: true,
    });
    const text = await new Response(proc.stdout).text();
    if ((await proc.exited) !== 0) return null;
    const gpus = parseNvidiaSmiMemory(text);
    const sum = (k: "used" | "total") => gpus.reduce((n, g) => n + g[k], 0);
    return gpus.length ? { used: sum("used"), total: sum("total"), gpus } : null;
  } catch {
    return null;
  }
};

export async function sampleStats(vram: VramProbe[]): Promise<SystemStats> {
  let meminfo: string | undefined;
  try {
    meminfo = readFileSync("/proc/meminfo", "utf8");
  } catch {
    meminfo = undefined;
  }
  const ram = readRam(meminfo);
  let gpu: Awaited<ReturnType<VramProbe>> = null;
  for (const probe of vram) {
    gpu = await probe();
    if (gpu) break;
  }
  return { ramUsed: ram.used, ramTotal: ram.total, vramUsed: gpu?.used ?? null, vramTotal: gpu?.total ?? null, ...(gpu?.gpus ? { gpus: gpu.gpus } : {}) };
}

/** Publishes `system.stats` every `intervalMs` while someone watches the events (an SSE client). */
export function startStatsSampler(bus: EventBus, opts: { intervalMs?: number; vram?: VramProbe[] } = {}) {
  const probes = opts.vram ?? [nvidiaSmiVram, sysfsVram];
  let busy = false;
  const tick = async () => {
    if (busy || bus.clientCount === 0) return;
    busy = true;
    try {
      bus.publish("system.stats", await sampleStats(probes));
    } finally {
      busy = false;
    }
  };
  // The first sample waits one turn of the event loop: at startup the first requests come first (it may spawn nvidia-smi).
  const first = setTimeout(tick, 0);
  first.unref?.();
  const timer = setInterval(tick, opts.intervalMs ?? 2000);
  timer.unref?.();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
    tick,
  };
}
