/**
 * The LoRA folder scan and path lookup of sd-server, as upstream does them
 * (stable-diffusion.cpp master-827-97d2990, examples/server/runtime.cpp
 * `refresh_lora_cache` / `get_lora_full_path`): rescanned on every capabilities
 * call and submit; recursive, regular files only (symlinked folders are not
 * entered: std::filesystem::recursive_directory_iterator's default), kept when
 * the lower-cased extension is .gguf/.pt/.pth/.safetensors (the launcher's copy
 * of that list is engine/lora-files.ts); `name` = file stem, `path` = relative to
 * the folder with forward slashes, sorted by `path`. A request's `lora[].path`
 * must equal one entry's `path`: absolute paths and bare names are refused.
 */
import { readdirSync, statSync } from "node:fs";
import { join, parse } from "node:path";

const SUPPORTED = new Set([".gguf", ".pt", ".pth", ".safetensors"]);

export interface LoraEntry {
  name: string;
  path: string;
  fullpath: string;
}

function scan(root: string, dir: string, out: LoraEntry[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // skip_permission_denied
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    // Dirent: isDirectory() is false for a symlink to a folder (not followed); a symlink to a file counts as a file.
    if (entry.isDirectory()) scan(root, full, out);
    else if (entry.isFile() || (entry.isSymbolicLink() && isFileTarget(full))) {
      if (!SUPPORTED.has(parse(entry.name).ext.toLowerCase())) continue;
      const rel = full.slice(root.length).replace(/^[\\/]+/, "").split("\\").join("/");
      out.push({ name: parse(entry.name).name, path: rel, fullpath: full });
    }
  }
}

function isFileTarget(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function findLoras(dir: string): LoraEntry[] {
  const out: LoraEntry[] = [];
  scan(dir, dir, out);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `get_lora_full_path`: the full path of the entry whose `path` is exactly this string, or "" (refused). */
export function loraFullPath(dir: string, path: string): string {
  return findLoras(dir).find((e) => e.path === path)?.fullpath ?? "";
}
