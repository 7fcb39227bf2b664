/** Pure text for the status bar, from the `queue.status`, `workers.changed` and `system.stats` events. */
import type { EventMap } from "../../../core/events/bus";

export type QueueStatus = EventMap["queue.status"];
export type SystemStats = EventMap["system.stats"];

export type WorkTone = "ready" | "busy" | "paused";

export function workState(q: QueueStatus | undefined): { text: string; tone: WorkTone } {
  if (!q || q.total <= 0) return { text: q?.paused ? "Paused" : "Ready", tone: q?.paused ? "paused" : "ready" };
  const counts = `${q.running} / ${q.total}`;
  return q.paused ? { text: `Paused: ${counts}`, tone: "paused" } : { text: `Running: ${counts}`, tone: "busy" };
}

/** Bytes as GB like the mockup: one decimal below 10 GB, whole numbers above. */
export function gb(bytes: number): string {
  const tenths = Math.round((bytes / 1024 ** 3) * 10) / 10;
  return tenths < 10 ? `${tenths.toFixed(1)} GB` : `${Math.round(tenths)} GB`;
}

/** "memory 3.2 GB of 24 GB" for a CUDA device from the latest reading (nvidia-smi's i-th GPU is CUDA<i>); "" otherwise. */
export function gpuMemoryText(device: string | undefined, s: SystemStats | undefined): string {
  const i = /^CUDA(\d+)$/.exec(device ?? "")?.[1];
  const g = i === undefined ? undefined : s?.gpus?.[Number(i)];
  return g ? `memory ${gb(g.used)} of ${gb(g.total)}` : "";
}

export function loadText(s: SystemStats | undefined): { text: string; title: string } {
  if (!s) return { text: "RAM: – | VRAM: –", title: "waiting for the first reading" };
  const ram = `RAM: ${gb(s.ramUsed)}`;
  const ramTitle = `RAM ${gb(s.ramUsed)} of ${gb(s.ramTotal)} in use`;
  if (s.vramUsed === null || s.vramTotal === null) {
    return { text: `${ram} used | VRAM: –`, title: `${ramTitle}; no GPU memory figure on this machine` };
  }
  return { text: `${ram} | VRAM: ${gb(s.vramUsed)} used`, title: `${ramTitle}; VRAM ${gb(s.vramUsed)} of ${gb(s.vramTotal)}` };
}

export type WorkersChanged = EventMap["workers.changed"];

/** "Workers: 1 busy · 2 ready" (and how many are off), each by name in the title; null without workers. */
export function workersText(w: WorkersChanged | undefined): { text: string; title: string; tone: WorkTone | "down" } | null {
  const list = w?.workers ?? [];
  if (!list.length) return null;
  const count = (...states: string[]) => list.filter((x) => states.includes(x.state)).length;
  const [busy, ready, off] = [count("busy"), count("ready"), count("refused", "unreachable", "checking")];
  const text = `Workers: ${busy} busy · ${ready} ready${off ? ` · ${off} off` : ""}`;
  const title = `Other computers working for this one: ${list.map((x) => `${x.name} ${x.state === "unreachable" ? "not reachable" : x.state}`).join(", ")}`;
  return { text, title, tone: busy ? "busy" : ready ? "ready" : "down" };
}
