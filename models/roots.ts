/**
 * The model search path: the app's own models/ folder first, then each
 * folder of config `models.extra_folders` in order (as ComfyUI's
 * extra_model_paths). Each extra folder's layout is recognised from its
 * sub-folder names (layouts.ts); a folder that is missing or holds no known
 * model folders is kept with an `error`, so Settings can say why.
 */
import { readdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { MODEL_KINDS, modelDir, type ModelKind, type Paths } from "../core/paths";
import type { AppContext } from "../core/server/context";
import type { Layout } from "./entry";
import { recogniseLayout } from "./layouts";

export interface ModelRoot {
  /** "app" for the app's own folder, else the extra folder as configured. */
  id: string;
  /** Absolute path of the folder given. */
  path: string;
  layout: Layout;
  /** Absolute kind folders, in search order. */
  folders: Record<ModelKind, string[]>;
  error?: string;
}

export type SearchPath = ModelRoot[];

function subfolders(dir: string): string[] | null {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() || (e.isSymbolicLink() && isDir(resolve(dir, e.name))))
      .map((e) => e.name);
  } catch {
    return null;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function appRoot(paths: Paths): ModelRoot {
  const folders = Object.fromEntries(MODEL_KINDS.map((k) => [k, [modelDir(paths, k)]])) as Record<ModelKind, string[]>;
  return { id: "app", path: paths.models, layout: "app", folders };
}

/** Where a configured folder is: `~/` is the home folder, a relative path is taken from the config file's folder. */
export function expandFolder(configured: string, base: string, home?: string): string {
  const trimmed = configured.trim();
  if (home && (trimmed === "~" || trimmed.startsWith("~/") || trimmed.startsWith("~\\"))) return resolve(home, trimmed.slice(2));
  return resolve(base, trimmed);
}

/** One extra folder, its layout recognised. */
export function extraRoot(configured: string, base = process.cwd(), home?: string): ModelRoot {
  const path = expandFolder(configured, base, home);
  const empty = Object.fromEntries(MODEL_KINDS.map((k) => [k, []])) as unknown as Record<ModelKind, string[]>;
  const given = subfolders(path);
  if (!given) return { id: configured, path, layout: "app", folders: empty, error: "the folder does not exist or cannot be read" };
  const models = given.includes("models") ? subfolders(resolve(path, "models")) : null;
  const parent = models ? null : subfolders(dirname(path));
  // A tree root holds models/; if that models/ holds nothing we know, the folder given may be the models folder itself.
  const found = recogniseLayout(given, models, parent) ?? (models ? recogniseLayout(given, null, subfolders(dirname(path))) : null);
  if (!found)
    return {
      id: configured,
      path,
      layout: "app",
      folders: empty,
      error: "no model folders found (expected an A1111, ComfyUI or Easy Diffusion folder)",
    };
  const folders = Object.fromEntries(MODEL_KINDS.map((k) => [k, found.folders[k].map((rel) => resolve(path, rel))])) as Record<ModelKind, string[]>;
  return { id: configured, path, layout: found.layout, folders };
}

/** The app's folder, then the extra folders (blank entries and the app's own folder dropped). */
export function searchPath(paths: Paths, extraFolders: readonly string[] = [], home?: string): SearchPath {
  const app = appRoot(paths);
  const extras = extraFolders
    .filter(
      (f) =>
        f.trim() &&
        expandFolder(f, paths.configDir, home) !== resolve(paths.models) &&
        expandFolder(f, paths.configDir, home) !== resolve(paths.data),
    )
    .map((f) => extraRoot(f, paths.configDir, home));
  return [app, ...extras];
}

/** The search path as the app's config says now (read at each use: Settings may change it). */
export function searchPathFor(ctx: Pick<AppContext, "paths" | "config" | "env">): SearchPath {
  return searchPath(ctx.paths, ctx.config.config.models.extra_folders, ctx.env?.home);
}
