/**
 * Checkpoints as the compatibility APIs name them, and the "current" one.
 * A1111 clients pick a model by title ("name.safetensors [hash]"), file name
 * or bare name and switch it with `options.sd_model_checkpoint`; OpenAI
 * clients send `model`. Our queue needs a file under models/stable-diffusion
 * (or diffusion_models), so names are resolved here; the chosen one is kept
 * in the queue's settings table so it survives a restart.
 */
import { statSync } from "node:fs";
import type { AppContext } from "../core/server/context";
import { modelFiles } from "./model-files";
import type { TaskQueue } from "../queue/queue";

const CURRENT_KEY = "compat.sd_model_checkpoint";

/** Every model a request may name: checkpoints first, then standalone diffusion models. */
export function checkpointFiles(ctx: AppContext): string[] {
  return [...modelFiles(ctx, "stable-diffusion"), ...modelFiles(ctx, "diffusion_models")].map((m) => m.name);
}

/** The file name without folders and extension (A1111's `model_name`). */
export function modelStem(file: string): string {
  return (file.split("/").pop() ?? file).replace(/\.[^.]+$/, "");
}

/** A1111's title: the relative file name, with the short hash in brackets when known. */
export function modelTitle(file: string, shortHash: string | null): string {
  return shortHash ? `${file} [${shortHash}]` : file;
}

/** The file a client's name means (title, file, bare name, with or without "[hash]"), or null. */
export function findCheckpoint(files: string[], name: string): string | null {
  const bare = name.replace(/\s*\[[0-9a-f]{8,64}\]\s*$/i, "").trim();
  if (!bare) return null;
  return (
    files.find((f) => f === bare) ??
    files.find((f) => f.split("/").pop() === bare) ??
    files.find((f) => modelStem(f) === bare || modelStem(f) === modelStem(bare)) ??
    null
  );
}

/** The checkpoint API requests use when they name none: the one set through options, else the first one. */
export function currentCheckpoint(queue: TaskQueue, files: string[]): string | null {
  const chosen = queue.store.setting(CURRENT_KEY);
  if (chosen && files.includes(chosen)) return chosen;
  return files[0] ?? null;
}

export function setCurrentCheckpoint(queue: TaskQueue, file: string): void {
  queue.store.setSetting(CURRENT_KEY, file);
}

/**
 * The cached sha256 of a model file, or null while unknown; hashing a
 * checkpoint takes seconds, so an unknown one is hashed in the background
 * (A1111 also lists models without a hash until it has computed one).
 */
export function cachedSha256(queue: TaskQueue, path: string): string | null {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return null;
  }
  const full = queue.hashes.cached(path, stat.size, Math.floor(stat.mtimeMs));
  if (!full) void queue.hashes.short(path);
  return full;
}
