/**
 * The one embeddings folder sd-server is given (`--embd-dir`). Upstream's
 * build_embedding_map (examples/common/common.cpp at the pinned tag) reads
 * the regular files directly in that folder (links followed, sub-folders
 * not), keyed by file stem. Embeddings in sub-folders or in extra model
 * roots would never reach the engine, so when there are any, the engine is
 * given a folder of links instead: one per stem, the app's folder first,
 * then each root in search order (the same order the picker lists).
 */
import { copyFileSync, lstatSync, mkdirSync, readdirSync, readlinkSync, statSync, symlinkSync } from "node:fs";
import { basename, extname, join } from "node:path";
import type { SearchPath } from "./roots";
import { removeTree } from "../core/files/remove-tree";

/** The extensions upstream's embedding scan accepts. */
export const EMBEDDING_EXTENSIONS = [".gguf", ".safetensors", ".pt", ".ckpt"] as const;
const MAX_DEPTH = 4;

function isEmbedding(name: string): boolean {
  return (EMBEDDING_EXTENSIONS as readonly string[]).includes(extname(name));
}

function walk(dir: string, depth: number, out: string[]) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  // Top-level files first, so a file directly in the folder wins over one of the same stem in a sub-folder.
  const sorted = entries.sort((a, b) => Number(a.isDirectory()) - Number(b.isDirectory()) || a.name.localeCompare(b.name));
  for (const e of sorted) {
    const full = join(dir, e.name);
    let st;
    try {
      st = statSync(full);
    } catch {
      continue;
    }
    if (st.isFile() && isEmbedding(e.name)) out.push(full);
    else if (st.isDirectory() && depth < MAX_DEPTH) walk(full, depth + 1, out);
  }
}

/** Every embedding file of the search path: stem → file, the first in search order winning. */
export function embeddingFiles(search: SearchPath): Map<string, string> {
  const files: string[] = [];
  for (const root of search) for (const folder of root.folders.embeddings) walk(folder, 0, files);
  const byStem = new Map<string, string>();
  for (const f of files) {
    const stem = basename(f, extname(f));
    if (!byStem.has(stem)) byStem.set(stem, f);
  }
  return byStem;
}

/** Whether the engine can be given the app's folder as it is: every embedding lies directly in it. Pure. */
export function appFolderSuffices(appFolder: string, files: Map<string, string>): boolean {
  for (const f of files.values()) if (join(appFolder, basename(f)) !== f) return false;
  return true;
}

/** Makes `view` hold exactly one link per embedding (a copy where links cannot be made); changes only what differs. */
function syncView(view: string, files: Map<string, string>) {
  mkdirSync(view, { recursive: true });
  const want = new Map([...files.values()].map((f) => [basename(f), f]));
  for (const name of readdirSync(view)) {
    const path = join(view, name);
    const target = want.get(name);
    let keep = false;
    try {
      keep = target !== undefined && (lstatSync(path).isSymbolicLink() ? readlinkSync(path) === target : statSync(path).size === statSync(target).size);
    } catch {}
    if (keep) want.delete(name);
    else removeTree(path);
  }
  for (const [name, target] of want) {
    try {
      symlinkSync(target, join(view, name));
    } catch {
      copyFileSync(target, join(view, name)); // Windows without the right to make links
    }
  }
}

/** The folder to give sd-server as `--embd-dir`: the app's own when it holds every embedding, else `view`, brought up to date. */
export function engineEmbeddingsDir(search: SearchPath, view: string | undefined, fallback: string): string {
  const app = search[0]?.folders.embeddings[0] ?? fallback;
  if (!view) return app;
  const files = embeddingFiles(search);
  if (appFolderSuffices(app, files)) return app;
  syncView(view, files);
  return view;
}
