/**
 * Out of GPU memory → the task once more at the next lower memory use
 * (common/memory-levels.ts), and the level that worked remembered for that
 * model set on this device, so the next task starts there. Kept in the
 * queue database (queue_settings), listed for the Model Browser.
 */
import { lowerLevel, MEMORY_LABELS, MEMORY_LEVELS, type MemoryLevel } from "../common/memory-levels";
import type { ModelSet } from "../engine/types";
import type { ActiveRun, RunOutcome } from "./runner";
import type { TaskStore } from "./store";
import { modelSetKey } from "../models/model-set";

const PREFIX = "memory_level:";

export interface RememberedLevel {
  /** The main model file of the set. */
  model: string;
  level: MemoryLevel;
  /** The device it was remembered on ("" = automatic). */
  device: string;
  /** When (ms). */
  at: number;
}

export class MemoryMemo {
  constructor(
    private readonly store: Pick<TaskStore, "setting" | "setSetting" | "settingsWithPrefix">,
    /** The engine.memory setting in effect and the chosen device. */
    readonly current: () => { level: MemoryLevel; device: string },
  ) {}

  #key(set: ModelSet, device: string): string {
    const { memory: _m, ...rest } = set;
    return `${PREFIX}${device}\0${modelSetKey(rest)}`;
  }

  /** The level remembered for this set on `device` (the engine's own; the chosen one when not given), if any. */
  level(set: ModelSet, device = this.current().device): MemoryLevel | undefined {
    const raw = this.store.setting(this.#key(set, device));
    if (!raw) return undefined;
    const level = (JSON.parse(raw) as RememberedLevel).level;
    return MEMORY_LEVELS.includes(level) ? level : undefined;
  }

  remember(set: ModelSet, model: string, level: MemoryLevel, device = this.current().device): void {
    const entry: RememberedLevel = { model, level, device, at: Date.now() };
    this.store.setSetting(this.#key(set, device), JSON.stringify(entry));
  }

  list(): RememberedLevel[] {
    return this.store.settingsWithPrefix(PREFIX).map((v) => JSON.parse(v) as RememberedLevel);
  }
}

const isOutOfMemory = (o: RunOutcome) => o.state === "failed" && (o.error.code === "out_of_memory" || o.error.code === "engine_out_of_memory");

/**
 * Runs `attempt` with the set at its remembered level; out of GPU memory, once more a level lower (the card says so
 * in `task.notes.memory`), and that level is remembered when it works, for the device the engine runs on (`device`:
 * each GPU of a pool has its own memory).
 */
export async function withMemoryRetry(
  run: ActiveRun,
  set: ModelSet,
  model: string,
  memo: MemoryMemo | undefined,
  attempt: (set: ModelSet) => Promise<RunOutcome>,
  device?: string,
): Promise<RunOutcome> {
  if (!memo) return attempt(set);
  const remembered = memo.level(set, device);
  const from = remembered ?? memo.current().level;
  if (remembered && remembered !== memo.current().level) {
    run.task.notes = { ...run.task.notes, memory: { level: remembered, note: `${MEMORY_LABELS[remembered]} memory use (remembered for this model)` } };
  }
  const first = await attempt(remembered ? { ...set, memory: remembered } : set);
  const next = lowerLevel(from, device ?? memo.current().device);
  if (!isOutOfMemory(first) || !next || run.cancelRequested) return first;
  run.task.notes = { ...run.task.notes, memory: { level: next, retriedFrom: from, note: `Out of GPU memory: ran with ${MEMORY_LABELS[next]} memory use` } };
  const second = await attempt({ ...set, memory: next });
  if (second.state === "succeeded") memo.remember(set, model, next, device);
  else if (second.state === "failed")
    run.task.notes = { ...run.task.notes, memory: { level: next, retriedFrom: from, note: `Out of GPU memory, also with ${MEMORY_LABELS[next]} memory use` } };
  return second;
}
