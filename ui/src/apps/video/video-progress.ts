/**
 * How a video task's progress reads: the sampling steps ("sampling · step
 * 7 / 20 · 1.9 s/it · 40 s left"; Wan 2.2 A14B's two passes each count),
 * then the VAE decoding the frames (the engine prints no count for it: the
 * queue keeps the last sampling step, so none is shown), then, when the
 * engine gave an AVI, its conversion to WebP frame by frame.
 */
import { progressText } from "../queue/progress-format";
import type { TaskProgress } from "../queue/queue-store";

export function videoProgressText(p: TaskProgress | null | undefined): string {
  if (!p) return "";
  if (p.phase === "decoding") return "decoding the frames…";
  if (p.phase === "converting") return p.steps ? `making the WebP · frame ${p.step} / ${p.steps}` : "making the WebP…";
  const text = progressText(p);
  return p.phase === "sampling" && text ? `sampling · ${text}` : text;
}
