/**
 * The stand-in's embedding scan, as upstream's SDContextParams::build_embedding_map
 * (examples/common/common.cpp at the pinned tag): the regular files (links
 * followed) directly in --embd-dir with .gguf/.safetensors/.pt/.ckpt, keyed by
 * stem, sub-folders not entered; printed sorted (a std::map) in the start-up dump.
 */
import { readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";

const VALID = [".gguf", ".safetensors", ".pt", ".ckpt"];

export function embeddingMap(dir: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (!dir) return map;
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) return map;
    names = readdirSync(dir);
  } catch {
    return map;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (!statSync(path).isFile()) continue;
    } catch {
      continue;
    }
    const ext = extname(name);
    if (!VALID.includes(ext)) continue;
    map.set(name.slice(0, -ext.length), path);
  }
  return new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
