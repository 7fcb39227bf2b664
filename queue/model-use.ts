/**
 * The queue's answer to what models/ asks about its models' use
 * (models/use.ts): the models the newest stored task named, and how many
 * stored tasks are still to run. Read from the queue's own tables, so it is
 * right before the queue has started (the warm start runs first).
 */
import type { ModelUse, UsedModels } from "../models/use";
import type { TaskStore } from "./store";

export function modelUseOf(store: TaskStore): ModelUse {
  return {
    lastModels: () => usedModels(store.newestRequest()),
    unfinished: () => store.unfinishedCount(),
  };
}

/** The model fields of a stored request; null when it names no model (or is not JSON). */
function usedModels(request: string | null): UsedModels | null {
  if (!request) return null;
  let r: { model?: unknown; vae?: unknown; text_encoders?: unknown };
  try {
    r = JSON.parse(request);
  } catch {
    return null;
  }
  if (typeof r.model !== "string" || !r.model) return null;
  const textEncoders = Array.isArray(r.text_encoders) ? r.text_encoders.filter((t): t is string => typeof t === "string") : [];
  return { model: r.model, ...(typeof r.vae === "string" && r.vae ? { vae: r.vae } : {}), text_encoders: textEncoders };
}
