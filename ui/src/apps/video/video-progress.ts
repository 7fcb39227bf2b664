/**
 * How a video task's progress reads: the sampling steps ("sampling · step
 * 7 / 20 · 1.9 s/it · 40 s left"), then the VAE decoding the frames
 * ("decoding frames 12 / 33", or "decoding frames…" without a count).
 */
import { formatEta, formatRate, progressText } from "../queue/progress-format";
import type { TaskProgress } from "../queue/queue-store";

export function videoProgressText(p: TaskProgress | null | undefined): string {
  if (!p) return "";
  if (p.phase === "decoding") {
    if (!p.steps) return "decoding frames…";
    const eta = formatEta(p.eta);
    return [`decoding frames ${p.step} / ${p.steps}`, formatRate(p.rate), eta && `${eta} left`].filter(Boolean).join(" · ");
  }
  const text = progressText(p);
  return p.phase === "sampling" && text ? `sampling · ${text}` : text;
}
