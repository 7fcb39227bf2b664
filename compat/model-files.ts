/**
 * The one place compat/ reads model files: names per kind (relative to their
 * kind folder, as requests name them) with their absolute paths, and finding
 * one by name. Over the models noun's search path (models/roots.ts: the app's
 * folder, then config models.extra_folders), as the queue resolves names.
 */
import type { ConfigStore } from "../launcher/config/store";
import type { Env } from "../launcher/env";
import type { ModelKind, Paths } from "../launcher/paths";
import { findModel, ModelNotFoundError } from "../models/resolve";
import { searchPath, type SearchPath } from "../models/roots";
import { walkModelFolder } from "../models/walk";
import { loraFileProblem } from "../engine/lora-files";

export { ModelNotFoundError };

export interface ModelFile {
  /** Relative to its kind folder, forward slashes (what a request names). */
  name: string;
  /** Absolute path. */
  path: string;
}

type Ctx = { paths: Paths; config?: ConfigStore; env?: Env };

function search(ctx: Ctx): SearchPath {
  return searchPath(ctx.paths, ctx.config?.config.models?.extra_folders ?? [], ctx.env?.home);
}

/** Model files of a kind, the first one per name along the search path, sorted by name (LoRAs the engine cannot load left out). */
export function modelFiles(ctx: Ctx, kind: ModelKind): ModelFile[] {
  const seen = new Map<string, string>();
  for (const root of search(ctx))
    for (const folder of root.folders[kind])
      for (const f of walkModelFolder(folder)) if (!seen.has(f.name) && !(kind === "lora" && loraFileProblem(f.name))) seen.set(f.name, f.file);
  return [...seen].map(([name, path]) => ({ name, path })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The absolute path of a model by the name a request uses, or null. */
export function modelFile(ctx: Ctx, kind: ModelKind, name: string): string | null {
  return findModel(search(ctx), kind, name);
}

/** A checkpoint or standalone diffusion model by name (as the queue resolves `model`). */
export function checkpointFile(ctx: Ctx, name: string): string | null {
  return modelFile(ctx, "stable-diffusion", name) ?? modelFile(ctx, "diffusion_models", name);
}
