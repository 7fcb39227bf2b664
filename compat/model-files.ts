/**
 * The one place compat/ reads model files: names per kind (relative to their
 * kind folder, as requests name them) with their absolute paths, and finding
 * one by name. Today over queue/models.ts; when the models/ noun (search path
 * over extra folders) lands, only this file changes (see compat/README.md).
 */
import type { ModelKind, Paths } from "../launcher/paths";
import { modelDir } from "../launcher/paths";
import { findModel, listModels, ModelNotFoundError } from "../queue/models";
import { join } from "node:path";

export { ModelNotFoundError };

export interface ModelFile {
  /** Relative to its kind folder, forward slashes (what a request names). */
  name: string;
  /** Absolute path. */
  path: string;
}

export function modelFiles(ctx: { paths: Paths }, kind: ModelKind): ModelFile[] {
  return listModels(ctx.paths)[kind].map((name) => ({ name, path: join(modelDir(ctx.paths, kind), name) }));
}

/** The absolute path of a model by the name a request uses, or null. */
export function modelFile(ctx: { paths: Paths }, kind: ModelKind, name: string): string | null {
  return findModel(ctx.paths, kind, name);
}

/** A checkpoint or standalone diffusion model by name (as the queue resolves `model`). */
export function checkpointFile(ctx: { paths: Paths }, name: string): string | null {
  return modelFile(ctx, "stable-diffusion", name) ?? modelFile(ctx, "diffusion_models", name);
}
