/** How a task's progress reads in the queue: "step 7 / 20 · 1.9 it/s · 7 s left". */
import type { Task, TaskProgress } from "./queue-store";

/** Seconds as "45 s", "3 min 5 s", "1 h 2 min". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Speed as it/s, or s/it when slower than one step a second (as sd.cpp prints it). */
export function formatRate(rate: number | null | undefined): string {
  if (!rate || !Number.isFinite(rate) || rate <= 0) return "";
  return rate >= 1 ? `${rate.toFixed(2)} it/s` : `${(1 / rate).toFixed(2)} s/it`;
}

const PHASES: Record<string, string> = { loading: "loading the model…", decoding: "decoding…" };

export function progressText(p: TaskProgress | null | undefined): string {
  if (p?.phase && PHASES[p.phase]) return PHASES[p.phase]!;
  // sd-cli's tiles (a small picture is one tile: no count).
  if (p?.phase === "upscaling") {
    const eta = formatEta(p.eta);
    return ["upscaling…", p.steps ? `tile ${p.step} / ${p.steps}` : "", formatRate(p.rate), eta && `${eta} left`].filter(Boolean).join(" · ");
  }
  if (!p || !p.steps) return "";
  const eta = formatEta(p.eta);
  return [`step ${p.step} / ${p.steps}`, formatRate(p.rate), eta && `${eta} left`].filter(Boolean).join(" · ");
}

/** 0..1 for the progress bar. */
export function progressFraction(p: TaskProgress | null | undefined): number {
  if (!p || !p.steps) return 0;
  return Math.max(0, Math.min(1, p.step / p.steps));
}

/** What a finished task's card says about how it ran: "9 of 20 steps reused, ×1.8", "Out of GPU memory: ran with Low memory use". */
export function runNotes(notes: Task["notes"]): { kind: "speed" | "memory" | "retry"; text: string }[] {
  const out: { kind: "speed" | "memory" | "retry"; text: string }[] = [];
  const speed = notes?.speed;
  if (speed?.reused) out.push({ kind: "speed", text: speed.reused });
  else if (speed?.note) out.push({ kind: "speed", text: speed.note });
  if (notes?.memory?.note) out.push({ kind: "memory", text: notes.memory.note });
  if (notes?.retry?.note) out.push({ kind: "retry", text: notes.retry.note });
  return out;
}

/** Where a task runs (ran) when another computer works on it for this one: "on studio-pc"; "" when here. */
export function workerText(task: Task): string {
  const name = task.notes?.worker?.name;
  return name ? `on ${name}` : "";
}
