/**
 * Resolving a request's model names to absolute paths through the search
 * path (the app's folder first, then each extra root: roots.ts). A name is a
 * path relative to its kind folder; one that escapes the folder or exists in
 * none is a user error (ModelNotFoundError → 400 model_not_found).
 */
import { lstatSync, statSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { LORA_EXTENSIONS, loraEnginePath, loraFileProblem } from "../engine/lora-files";
import { insidePath } from "../core/files/inside";
import type { ModelKind } from "../core/paths";
import type { ImageRequest } from "../common/image-request";
import { MODEL_EXTENSIONS } from "./formats";
import type { VideoFamilyId } from "../common/video-families";
import { engineEmbeddingsDir } from "./embedding-view";
import type { Identity } from "./entry";
import { identifyFile } from "./identify-file";
import type { SearchPath } from "./roots";
import { NamedError } from "../core/server/errors";

export { MODEL_EXTENSIONS };

/** 400 `model_not_found`: a request names a model that is not in its folder. */
export class ModelNotFoundError extends NamedError {
  override name = "ModelNotFoundError";
  override readonly code: string = "model_not_found";
  override readonly status = 400;
  constructor(
    readonly field: string,
    readonly kind: ModelKind,
    readonly value: string,
    message = `${field}: no ${kind} model "${value}" (put it in the models/${kind} folder)`,
  ) {
    super(message);
  }
}

/** A LoRA that exists but that the engine cannot load (file type, linked folder, another root): engine/lora-files.ts. */
export class UnusableLoraError extends ModelNotFoundError {
  override name = "UnusableLoraError";
  override readonly code = "lora_unsupported";
}

/** Extensions tried for a name without one: a LoRA tries the engine's LoRA types first (then the rest, to say why one is refused). */
function extensionsFor(kind: ModelKind): readonly string[] {
  return kind === "lora" ? [...LORA_EXTENSIONS, ...MODEL_EXTENSIONS.filter((e) => !LORA_EXTENSIONS.includes(e))] : MODEL_EXTENSIONS;
}

/** sd-server's LoRA scan does not enter linked folders (std::filesystem default): a LoRA under one is never found. */
function linkedFolderProblem(root: string, file: string): string | null {
  const parts = relative(root, file).split(sep).slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    try {
      if (lstatSync(join(root, ...parts.slice(0, i))).isSymbolicLink())
        return `it is inside a linked folder (${parts.slice(0, i).join("/")}), which the engine does not look into; move the file or link the file itself`;
    } catch {
      return null;
    }
  }
  return null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export interface FoundModel {
  file: string;
  /** The kind folder it was found in. */
  folder: string;
}

/** Finds a model by relative name in the first root that has it, trying the known extensions when it has none (LoRA tags omit them). */
export function locateModel(search: SearchPath, kind: ModelKind, name: string): FoundModel | null {
  for (const root of search) {
    for (const folder of root.folders[kind]) {
      for (const candidate of [name, ...extensionsFor(kind).map((e) => name + e)]) {
        const full = insidePath(folder, candidate);
        if (full && isFile(full)) return { file: full, folder };
      }
    }
  }
  return null;
}

export function findModel(search: SearchPath, kind: ModelKind, name: string): string | null {
  return locateModel(search, kind, name)?.file ?? null;
}

export type TextEncoderSlot = "clipL" | "clipG" | "t5xxl" | "llm";
const SLOTS = { clip_l: "clipL", clip_g: "clipG", t5xxl: "t5xxl", llm: "llm" } as const;

/** Identities already read, by path + size + mtime (an LLM GGUF's header can be megabytes of tokenizer). */
const identityCache = new Map<string, Identity | null>();

/** A model file's identity from its header, cached; null when the file cannot be read. */
function headerIdentity(file: string): Identity | null {
  let key: string;
  try {
    const s = statSync(file);
    key = `${file}\0${s.size}\0${s.mtimeMs}`;
  } catch {
    return null;
  }
  if (identityCache.has(key)) return identityCache.get(key)!;
  const identity = identifyFile(file);
  if (identityCache.size > 500) identityCache.clear();
  identityCache.set(key, identity);
  return identity;
}

/** Which flag a text encoder file needs, from its header (a file named "text_encoder.safetensors" may be CLIP-L or an LLM). */
export function headerSlot(file: string): TextEncoderSlot | null {
  const encoder = headerIdentity(file)?.encoder;
  return encoder ? SLOTS[encoder] : null;
}

/** The model family (sd1, sdxl, flux, …) read from the file's header, or null when it cannot be told. */
export function headerFamily(file: string): string | null {
  return headerIdentity(file)?.family ?? null;
}

/** The video family read from the file's header (models/video-family.ts), or null for an image model or an unreadable file. */
export function headerVideoFamily(file: string): VideoFamilyId | null {
  return headerIdentity(file)?.videoFamily ?? null;
}

export interface ResolvedModels {
  /** Checkpoint (stable-diffusion) or standalone diffusion model. */
  model: { kind: "stable-diffusion" | "diffusion_models"; path: string; family?: string | null };
  vae?: string;
  textEncoders: string[];
  /** The sd-server flag each text encoder goes to, read from its header (null: not told; the name decides). */
  textEncoderSlots?: (TextEncoderSlot | null)[];
  controlnet?: string;
  /** path: absolute (hashing, metadata); enginePath: relative to loraDir with `/`, the only form sd-server accepts in `lora[].path`. */
  loras: { name: string; path: string; enginePath: string; weight: number }[];
  /** The LoRA folder sd-server scans: the one holding the request's LoRAs (the app's when they come from several roots or none). */
  loraDir: string;
  embeddingsDir: string;
  /** A hires-fix upscaler model (RealESRGAN/ESRGAN) from models/realesrgan: the name sd-server knows it by and the folder it scans. */
  upscaler?: { name: string; dir: string };
}

/** sd-server's own hires upscalers; any other name is a model file in models/realesrgan. */
const BUILTIN_UPSCALERS = [
  "None", "Latent", "Latent (nearest)", "Latent (nearest-exact)", "Latent (antialiased)", "Latent (bicubic)",
  "Latent (bicubic antialiased)", "Lanczos", "Nearest",
] as const;

/** sd-server resolves a model upscaler as `--hires-upscalers-dir / (name + ext)`, top level only: its folder and stem. */
function upscalerModel(file: string): { name: string; dir: string } {
  return { name: basename(file).replace(/\.[^.]+$/, ""), dir: dirname(file) };
}

/**
 * Resolves every model a request names; throws ModelNotFoundError for the first missing one.
 * `embeddingsView`: the folder of links the engine gets when embeddings lie outside the app's folder (embedding-view.ts).
 */
export function resolveModels(
  search: SearchPath,
  r: Pick<ImageRequest, "model" | "vae" | "text_encoders" | "controlnet" | "loras"> & { hires?: { upscaler: string } },
  options: { embeddingsView?: string } = {},
): ResolvedModels {
  const need = (field: string, kind: ModelKind, name: string) => {
    const found = locateModel(search, kind, name);
    if (!found) throw new ModelNotFoundError(field, kind, name);
    return found;
  };
  const checkpoint = findModel(search, "stable-diffusion", r.model);
  const diffusion = checkpoint ? null : findModel(search, "diffusion_models", r.model);
  if (!checkpoint && !diffusion)
    throw new ModelNotFoundError(
      "model",
      "stable-diffusion",
      r.model,
      `model: no model "${r.model}" in models/stable-diffusion or models/diffusion_models`,
    );
  const model = checkpoint ? { kind: "stable-diffusion" as const, path: checkpoint } : { kind: "diffusion_models" as const, path: diffusion! };
  const loras = r.loras.map((l, i) => {
    const found = need(`loras.${i}.name`, "lora", l.name);
    const problem = loraFileProblem(found.file) ?? linkedFolderProblem(found.folder, found.file);
    if (problem) throw new UnusableLoraError(`loras.${i}.name`, "lora", l.name, `loras.${i}.name: LoRA "${l.name}" cannot be used: ${problem}`);
    return { l, found };
  });
  const textEncoders = r.text_encoders.map((t, i) => need(`text_encoders.${i}`, "text_encoders", t).file);
  const appLora = search[0]!.folders.lora[0]!;
  const loraFolders = [...new Set(loras.map((x) => x.found.folder))];
  const loraDir = loraFolders.length === 1 ? loraFolders[0]! : appLora;
  // sd-server reads LoRAs from one folder (--lora-model-dir), by their path relative to it.
  const outside = loras.find(({ found }) => found.folder !== loraDir);
  if (outside) {
    const i = loras.indexOf(outside);
    throw new UnusableLoraError(
      `loras.${i}.name`,
      "lora",
      outside.l.name,
      `loras.${i}.name: LoRA "${outside.l.name}" is in another model folder than the other LoRAs; the engine reads LoRAs from one folder per task`,
    );
  }
  return {
    model: { ...model, family: headerFamily(model.path) },
    vae: r.vae ? need("vae", "vae", r.vae).file : undefined,
    textEncoders,
    textEncoderSlots: textEncoders.map(headerSlot),
    controlnet: r.controlnet ? need("controlnet", "controlnet", r.controlnet).file : undefined,
    loras: loras.map(({ l, found }) => ({ name: l.name, weight: l.weight, path: found.file, enginePath: loraEnginePath(relative(loraDir, found.file)) })),
    loraDir,
    embeddingsDir: engineEmbeddingsDir(search, options.embeddingsView, dirname(appLora)),
    ...(r.hires && !(BUILTIN_UPSCALERS as readonly string[]).includes(r.hires.upscaler)
      ? { upscaler: upscalerModel(need("hires.upscaler", "realesrgan", r.hires.upscaler).file) }
      : {}),
  };
}
