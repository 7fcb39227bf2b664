/**
 * The wildcard lists in the data folder: `wildcards/<name>.txt` (subfolders give
 * `__folder/name__`), one choice a line; blank lines and `#` comments are skipped.
 * Read fresh on each expansion so a file edited by hand counts at once.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { promptLines } from "../common/prompt-expand";

/** Wildcard name → its lines; an absent folder is no wildcards. */
export async function readWildcards(dir: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  let files: string[];
  try {
    files = (await readdir(dir, { recursive: true })).filter((f) => f.toLowerCase().endsWith(".txt"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return out;
    throw err;
  }
  for (const file of files) {
    const name = relative(dir, join(dir, file)).slice(0, -4).split(sep).join("/");
    out[name] = promptLines((await readFile(join(dir, file), "utf8")).split(/\r?\n/));
  }
  return out;
}
