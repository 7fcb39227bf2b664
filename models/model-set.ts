/**
 * Resolved models → the model set sd-server's process is started with, and
 * its key (tasks with the same key run one after another without a restart).
 * Used by the queue for each task and by the warm start, so a warm engine is
 * exactly what the first task needs. Pure.
 */
import { basename } from "node:path";
import type { ModelSet } from "../engine/types";
import type { ResolvedRequest } from "../common/image-request";
import type { ResolvedModels } from "./resolve";

export type TextEncoderSlot = "clipL" | "clipG" | "t5xxl" | "llm";

/** Which sd-server flag a text encoder file goes to, told by its name (clip_l / clip_g / t5 / anything else is an LLM encoder). */
export function textEncoderSlot(path: string): TextEncoderSlot {
  const name = basename(path).toLowerCase();
  if (/clip[_-]?l(\b|[_.-])/.test(name)) return "clipL";
  if (/clip[_-]?g(\b|[_.-])/.test(name)) return "clipG";
  if (/t5/.test(name)) return "t5xxl";
  return "llm";
}

export function toModelSet(models: ResolvedModels, r?: Pick<ResolvedRequest, "tiling">): ModelSet {
  const set: ModelSet = { loraDir: models.loraDir, embeddingsDir: models.embeddingsDir };
  // Start-up flags the request chooses join the model set, so the queue groups tasks by them and restarts only between groups.
  if (r?.tiling && r.tiling !== "none") set.circular = r.tiling;
  if (models.upscaler) set.upscalersDir = models.upscaler.dir;
  if (models.model.kind === "stable-diffusion") set.model = models.model.path;
  else set.diffusionModel = models.model.path;
  if (models.vae) set.vae = models.vae;
  if (models.controlnet) set.controlNet = models.controlnet;
  models.textEncoders.forEach((te, i) => (set[models.textEncoderSlots?.[i] ?? textEncoderSlot(te)] = te));
  return set;
}

/** A stable key of a model set: tasks with the same key run without restarting the engine. */
export function modelSetKey(set: ModelSet): string {
  return JSON.stringify(Object.entries(set).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
}
