/**
 * What the models noun learns from the work done with its models, without
 * reading anyone's tables: the queue implements it (queue/model-use.ts) and
 * the composition root hands it to the models service. The warm start loads
 * the last used models unless tasks are waiting (they start the engine
 * themselves); the model list offers the last used models first.
 */
import type { LastUsed } from "./entry";

export type UsedModels = Omit<LastUsed, "set">;

export interface ModelUse {
  /** The models the newest recorded task named, or null (no task yet). */
  lastModels(): UsedModels | null;
  /** Recorded tasks that are queued or running. */
  unfinished(): number;
}
