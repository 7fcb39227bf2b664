/**
 * The one answer to "is this path inside that folder". Two strengths:
 * - `insidePath` is lexical (after resolving `..`): for names a client sends,
 *   before the file exists. Symlinks inside the folder are the user's own.
 * - `realInside` resolves symlinks on both sides: for files about to be served,
 *   so a link placed in the folder cannot serve what lies outside it.
 * The folder itself is never "inside" itself.
 */
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

/** True when `path` lies strictly below `folder` (lexically). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** The absolute path of `name` below `folder`, or null if it would leave it. */
export function insidePath(folder: string, name: string): string | null {
  if (name.includes("\0")) return null;
  const full = resolve(folder, name);
  return isInside(folder, full) ? full : null;
}

/** True when `path`, with every symlink resolved, lies below `folder` (resolved too). False if either is missing. */
export function realInside(folder: string, path: string): boolean {
  try {
    return isInside(realpathSync(folder), realpathSync(path));
  } catch {
    return false;
  }
}
