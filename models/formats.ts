/** Model file extensions the app lists, and the format each names. */
import type { ModelFormat } from "./entry";

export const MODEL_EXTENSIONS = [".safetensors", ".gguf", ".ckpt", ".pt", ".pth", ".bin", ".sft"];

/** The format a file name says, or null when it is not a model file. */
export function formatOf(name: string): ModelFormat | null {
  const lower = name.toLowerCase();
  const ext = MODEL_EXTENSIONS.find((e) => lower.endsWith(e));
  return ext ? (ext.slice(1) as ModelFormat) : null;
}
