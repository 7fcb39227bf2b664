/**
 * Model files on disk: listing them per kind for the UI, and resolving a
 * request's relative names to absolute paths inside their kind's folder.
 * A name that escapes its folder or does not exist is a user error (400).
 */
import { existsSync, lstatSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { insidePath } from "../launcher/files/inside";
import { MODEL_KINDS, modelDir, type ModelKind, type Paths } from "../launcher/paths";
import type { ImageRequest } from "./request";
import { LORA_EXTENSIONS, loraEnginePath, loraFileProblem } from "../engine/lora-files";

export const MODEL_EXTENSIONS = [".safetensors", ".gguf", ".ckpt", ".pt", ".pth", ".bin", ".sft"];

export class ModelNotFoundError extends Error {
  override name = "ModelNotFoundError";
  constructor(
    readonly field: string,
    readonly kind: ModelKind,
    readonly value: string,
    message = `${field}: no ${kind} model "${value}" (put it in the models/${kind} folder)`,
  ) {
    super(message);
  }
}

/** A LoRA that exists but that the engine cannot load (its file type; engine/lora-files.ts says why). */
export class UnusableLoraError extends ModelNotFoundError {
  override name = "UnusableLoraError";
}

/** Extensions tried for a name without one: a LoRA tries the engine's LoRA types first (then the rest, to say why one is refused). */
function extensionsFor(kind: ModelKind): readonly string[] {
  return kind === "lora" ? [...LORA_EXTENSIONS, ...MODEL_EXTENSIONS.filter((e) => !LORA_EXTENSIONS.includes(e))] : MODEL_EXTENSIONS;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Finds a model by relative path, trying the known extensions when it has none (LoRA tags omit them). */
export function findModel(paths: Paths, kind: ModelKind, name: string): string | null {
  const dir = modelDir(paths, kind);
  for (const candidate of [name, ...extensionsFor(kind).map((e) => name + e)]) {
    const full = insidePath(dir, candidate);
    if (full && isFile(full)) return full;
  }
  return null;
}

export interface ResolvedModels {
  /** Checkpoint (stable-diffusion) or standalone diffusion model. */
  model: { kind: "stable-diffusion" | "diffusion_models"; path: string };
  vae?: string;
  textEncoders: string[];
  controlnet?: string;
  /** path: absolute (hashing, metadata); enginePath: relative to loraDir with forward slashes, what sd-server accepts in `lora[].path`. */
  loras: { name: string; path: string; enginePath: string; weight: number }[];
  loraDir: string;
  embeddingsDir: string;
}

/** Resolves every model a request names; throws ModelNotFoundError for the first missing one. */
export function resolveModels(paths: Paths, r: Pick<ImageRequest, "model" | "vae" | "text_encoders" | "controlnet" | "loras">): ResolvedModels {
  const need = (field: string, kind: ModelKind, name: string) => {
    const found = findModel(paths, kind, name);
    if (!found) throw new ModelNotFoundError(field, kind, name);
    return found;
  };
  const checkpoint = findModel(paths, "stable-diffusion", r.model);
  const diffusion = checkpoint ? null : findModel(paths, "diffusion_models", r.model);
  if (!checkpoint && !diffusion) throw new ModelNotFoundError("model", "stable-diffusion", r.model, `model: no model "${r.model}" in models/stable-diffusion or models/diffusion_models`);
  const model = checkpoint ? { kind: "stable-diffusion" as const, path: checkpoint } : { kind: "diffusion_models" as const, path: diffusion! };
  return {
    model,
    vae: r.vae ? need("vae", "vae", r.vae) : undefined,
    textEncoders: r.text_encoders.map((t, i) => need(`text_encoders.${i}`, "text_encoders", t)),
    controlnet: r.controlnet ? need("controlnet", "controlnet", r.controlnet) : undefined,
    loras: r.loras.map((l, i) => {
      const path = need(`loras.${i}.name`, "lora", l.name);
      const problem = loraFileProblem(path) ?? linkedFolderProblem(modelDir(paths, "lora"), path);
      if (problem) throw new UnusableLoraError(`loras.${i}.name`, "lora", l.name, `loras.${i}.name: LoRA "${l.name}" cannot be used: ${problem}`);
      return { name: l.name, weight: l.weight, path, enginePath: loraEnginePath(relative(modelDir(paths, "lora"), path)) };
    }),
    loraDir: modelDir(paths, "lora"),
    embeddingsDir: modelDir(paths, "embeddings"),
  };
}

/** sd-server's LoRA scan does not enter linked folders (std::filesystem default): a LoRA under one is never found. */
function linkedFolderProblem(root: string, file: string): string | null {
  const parts = relative(root, file).split(sep).slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    try {
      if (lstatSync(join(root, ...parts.slice(0, i))).isSymbolicLink()) return `it is inside a linked folder (${parts.slice(0, i).join("/")}), which the engine does not look into; move the file or link the file itself`;
    } catch {
      return null;
    }
  }
  return null;
}

/** Model files of each kind, as paths relative to the kind's folder (forward slashes), sorted. */
export function listModels(paths: Paths): Record<ModelKind, string[]> {
  const out = {} as Record<ModelKind, string[]>;
  for (const kind of MODEL_KINDS) {
    const dir = modelDir(paths, kind);
    out[kind] = existsSync(dir) ? walk(dir, dir, kind === "lora" ? LORA_EXTENSIONS : MODEL_EXTENSIONS).sort() : [];
  }
  return out;
}

function walk(root: string, dir: string, extensions: readonly string[], depth = 0): string[] {
  if (depth > 8) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(root, full, extensions, depth + 1));
    else if (entry.isFile() && extensions.some((e) => entry.name.toLowerCase().endsWith(e))) found.push(relative(root, full).split(sep).join("/"));
  }
  return found;
}
