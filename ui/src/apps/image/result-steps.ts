/**
 * What a result card's action, or a message from another tab (the Gallery's
 * reuse settings / use as input / make similar), does to an Image tab,
 * decided apart from the element: one step the tab then carries out. Reuse
 * and Make similar read the task's full request (with its pictures) first.
 */
import type { Task, TaskImage } from "../queue/queue-store";
import type { ModelLists } from "./ed-model-fields";
import type { ResultAction } from "./ed-results";
import { imageInputsFromRequest, settingsFromRequest, type ImageSettings } from "./image-settings";
import { fullRequest, upscalerFor } from "./tab-helpers";

export type ResultStep =
  | { kind: "none" }
  | { kind: "change"; changes: Partial<ImageSettings>; notice?: string }
  | { kind: "generate"; overrides: Partial<ImageSettings> }
  | { kind: "use-input"; url: string }
  | { kind: "retry"; id: string }
  | { kind: "remove"; id: string; deletePictures: boolean }
  /** A pixel upscale of this very picture by sd-cli (POST /api/upscale): a new picture, the original kept. */
  | { kind: "upscale"; imageId: string; factor: 2 | 4; model: string };

const NONE: ResultStep = { kind: "none" };

/** A result card's action on `task` (and one of its pictures). */
export async function resultStep(
  action: ResultAction,
  task: Task,
  image: TaskImage | undefined,
  settings: ImageSettings,
  models: ModelLists,
): Promise<ResultStep> {
  if (action === "retry") return { kind: "retry", id: task.id };
  if (action === "remove" || action === "remove-delete") return { kind: "remove", id: task.id, deletePictures: action === "remove-delete" };
  if (!image) return NONE;
  if (action === "use-input") return { kind: "use-input", url: image.url };
  if (action === "reuse" || action === "similar") {
    const full = await fullRequest(task);
    const request = { ...settingsFromRequest(full), ...imageInputsFromRequest(full) };
    if (action === "reuse") return { kind: "change", changes: { ...request, seed: image.seed, random_seed: false } };
    return { kind: "generate", overrides: { ...request, random_seed: true } };
  }
  // upscale-2 / upscale-4: the model chosen for upscaling when it is installed, else the hires-fix one or the first.
  const model = settings.upscale_model && models.realesrgan?.includes(settings.upscale_model) ? settings.upscale_model : upscalerFor(settings, models);
  return { kind: "upscale", imageId: image.id, factor: action === "upscale-4" ? 4 : 2, model };
}

/** A message another tab sent (`{kind: "image-settings", action, settings, seed?, imageUrl?}`); anything else does nothing. */
export function messageStep(message: unknown): ResultStep {
  const m = message as { kind?: string; action?: string; settings?: Record<string, unknown>; seed?: number | null; imageUrl?: string };
  if (m?.kind !== "image-settings" || !m.settings) return NONE;
  const restored = settingsFromRequest(m.settings);
  if (m.action === "use-input" && m.imageUrl) return { kind: "use-input", url: m.imageUrl };
  if (m.action === "reuse") {
    const seed = typeof m.seed === "number" ? { seed: m.seed, random_seed: false } : {};
    return { kind: "change", changes: { ...restored, ...seed }, notice: "Settings restored from the Gallery." };
  }
  if (m.action === "similar") return { kind: "generate", overrides: { ...restored, random_seed: true } };
  return NONE;
}
