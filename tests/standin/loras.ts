/** sd-server rescans --lora-model-dir recursively on every capabilities call and submit. */
import { readdirSync } from "node:fs";
import { join, parse } from "node:path";

const LORA_EXTENSIONS = new Set([".safetensors", ".ckpt", ".pt", ".gguf"]);

export function findLoras(dir: string): { name: string; path: string }[] {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return [];
  }
  return entries
    .filter((rel) => LORA_EXTENSIONS.has(parse(rel).ext))
    .sort()
    .map((rel) => ({ name: parse(rel).name, path: join(dir, rel) }));
}
