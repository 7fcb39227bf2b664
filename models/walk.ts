/**
 * Lists the model files below one kind folder: relative names (forward
 * slashes), sizes and mtimes. Symbolic links to files and to folders are
 * followed (a folder reached twice, e.g. through a link loop, is walked
 * once); hidden entries are skipped; depth is capped.
 */
import { readdirSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { formatOf } from "./formats";

export interface FoundFile {
  name: string;
  file: string;
  size: number;
  mtime: number;
  /** Reached through a symbolically linked folder (sd-server's LoRA scan does not follow those). */
  viaLinkedFolder?: boolean;
}

const MAX_DEPTH = 12;

export function walkModelFolder(folder: string): FoundFile[] {
  const found: FoundFile[] = [];
  const seen = new Set<string>();
  const visit = (dir: string, prefix: string, depth: number, linked: boolean) => {
    if (depth > MAX_DEPTH) return;
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let stat;
      if (entry.isSymbolicLink() || isFile) {
        try {
          stat = statSync(full);
        } catch {
          continue; // dangling link
        }
        isDir = stat.isDirectory();
        isFile = stat.isFile();
      }
      if (isDir) visit(full, `${prefix}${entry.name}/`, depth + 1, linked || entry.isSymbolicLink());
      else if (isFile && stat && formatOf(entry.name))
        found.push({
          name: prefix + entry.name,
          file: full,
          size: stat.size,
          mtime: Math.floor(stat.mtimeMs),
          ...(linked ? { viaLinkedFolder: true } : {}),
        });
    }
  };
  visit(folder, "", 0, false);
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
