/**
 * Which queued task runs next. Queue order, except that a task using the
 * model set the engine already has loaded may go ahead of tasks that would
 * restart it (loading a model takes seconds to minutes). Fairness: a task
 * is passed over at most `maxSkips` times, then it runs whatever it needs.
 * Pure: the caller keeps the skip counts.
 */
export interface Candidate {
  id: string;
  modelKey: string;
}

export interface Pick {
  id: string;
  /** Tasks that were passed over by this pick. */
  skipped: string[];
}

export function pickNext(queued: Candidate[], currentKey: string | null, skips: ReadonlyMap<string, number>, maxSkips = 3): Pick | null {
  const head = queued[0];
  if (!head) return null;
  if (currentKey === null || head.modelKey === currentKey) return { id: head.id, skipped: [] };
  const index = queued.findIndex((t) => t.modelKey === currentKey);
  if (index < 0) return { id: head.id, skipped: [] };
  const passed = queued.slice(0, index);
  if (passed.some((t) => (skips.get(t.id) ?? 0) >= maxSkips)) return { id: head.id, skipped: [] };
  return { id: queued[index]!.id, skipped: passed.map((t) => t.id) };
}
