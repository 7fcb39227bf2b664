/**
 * Which waiting task runs next, and on which idle executor (queue/executors.ts).
 * Pure: the caller keeps the skip counts. Each idle executor picks as a single
 * engine always did (pick.ts: queue order, but a task using the model set it
 * holds may go ahead, fairly) among the tasks it can run; of those picks the
 * one earliest in the queue wins, and among executors that picked that task,
 * the one that holds its model set, else the one scoring it highest, else the
 * first listed. With one executor this is exactly pickNext.
 *
 * Fairness across executors: a task passed over `maxSkips` times that no idle executor can run, but one
 * that waits for its hardware can (an engine split over GPUs the per-GPU engines use now), holds back the
 * tasks behind it, so the GPUs come free for it instead of taking later tasks forever.
 */
import { pickNext, type Candidate } from "./pick";

export interface Slot {
  id: string;
  /** The engine key the executor holds now (null: none). */
  key: string | null;
  /** null: it cannot run this task; higher: better (e.g. it already holds the task's model set). */
  score(candidate: Candidate): number | null;
}

export interface Dispatch {
  taskId: string;
  slotId: string;
  /** Tasks that were passed over by this pick. */
  skipped: string[];
}

export function dispatch(queued: Candidate[], idle: Slot[], skips: ReadonlyMap<string, number>, maxSkips = 3, waiting: Slot[] = []): Dispatch | null {
  const starving = queued.findIndex(
    (c) => (skips.get(c.id) ?? 0) >= maxSkips && !idle.some((s) => s.score(c) !== null) && waiting.some((s) => s.score(c) !== null),
  );
  if (starving >= 0) queued = queued.slice(0, starving);
  const index = new Map(queued.map((c, i) => [c.id, i]));
  const picks: (Dispatch & { at: number; hit: boolean; score: number })[] = [];
  for (const slot of idle) {
    const scores = new Map<string, number>();
    const runnable = queued.filter((c) => {
      const s = slot.score(c);
      if (s !== null) scores.set(c.id, s);
      return s !== null;
    });
    const pick = pickNext(runnable, slot.key, skips, maxSkips);
    if (!pick) continue;
    const modelKey = runnable.find((c) => c.id === pick.id)!.modelKey;
    picks.push({ taskId: pick.id, slotId: slot.id, skipped: pick.skipped, at: index.get(pick.id)!, hit: slot.key === modelKey, score: scores.get(pick.id)! });
  }
  if (!picks.length) return null;
  const best = picks.reduce((a, b) => {
    if (a.at !== b.at) return a.at < b.at ? a : b;
    if (a.hit !== b.hit) return a.hit ? a : b;
    return b.score > a.score ? b : a;
  });
  return { taskId: best.taskId, slotId: best.slotId, skipped: best.skipped };
}
