/**
 * The one place compat/ reads model files: names per kind (relative to their
 * kind folder, as requests name them) with their absolute paths, and finding
 * one by name. Over the models/ noun's search path (the app's folder, then
 * `models.extra_folders`), the first file per name winning as in the library.
 */
import type { AppContext } from "../core/server/context";
import type { ModelKind } from "../core/paths";
import { findModel, ModelNotFoundError } from "../models/resolve";
import { searchPathFor } from "../models/roots";
import { walkModelFolder } from "../models/walk";
import { loraFileProblem } from "../engine/lora-files";

export { ModelNotFoundError };

export interface ModelFile {
  /** Relative to its kind folder, forward slashes (what a request names). */
  name: string;
  /** Absolute path. */
  path: string;
}

type Ctx = Parameters<typeof searchPathFor>[0];

/** Model files of a kind, the first per name along the search path (LoRAs the engine cannot load left out). */
export function modelFiles(ctx: Ctx, kind: ModelKind): ModelFile[] {
  const byName = new Map<string, string>();
  for (const root of searchPathFor(ctx))
    for (const folder of root.folders[kind])
      for (const f of walkModelFolder(folder)) if (!byName.has(f.name) && !(kind === "lora" && loraFileProblem(f.name))) byName.set(f.name, f.file);
  return [...byName].map(([name, path]) => ({ name, path })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The absolute path of a model by the name a request uses, or null. */
export function modelFile(ctx: Ctx, kind: ModelKind, name: string): string | null {
  return findModel(searchPathFor(ctx), kind, name);
}

/** A checkpoint or standalone diffusion model by name (as the queue resolves `model`). */
export function checkpointFile(ctx: Ctx, name: string): string | null {
  return modelFile(ctx, "stable-diffusion", name) ?? modelFile(ctx, "diffusion_models", name);
}
