/**
 * Opening a file to serve it, checked on the file actually opened: the open file (fstat) must be the
 * file its path's realpath names, and that realpath must lie inside one of the folders. A file swapped
 * for a symlink between an earlier check and the serving cannot be served in its place, as the bytes
 * come from this descriptor. The caller reads from `fd` and closes it (`readRange` does both).
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import { isInside } from "./inside";

export type OpenedInside = { fd: number; size: number } | "outside" | null;

/** The opened file, "outside" when it resolves outside the folders (or is no plain file), null when it is missing. */
export function openInside(path: string, folders: string[]): OpenedInside {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  try {
    const opened = fstatSync(fd);
    const real = realpathSync(path);
    const now = statSync(real);
    const roots = folders.flatMap((f) => {
      try {
        return [realpathSync(f)];
      } catch {
        return [];
      }
    });
    // The path must still name the file that was opened (no swap between open and realpath).
    if (now.ino !== opened.ino || now.dev !== opened.dev || !opened.isFile() || !roots.some((r) => isInside(r, real))) {
      closeSync(fd);
      return "outside";
    }
    return { fd, size: opened.size };
  } catch {
    closeSync(fd);
    return null;
  }
}

/** The first `n` bytes of an opened file (it stays open). */
export function readHead(fd: number, n: number): Uint8Array {
  const buf = new Uint8Array(n);
  return buf.subarray(0, readSync(fd, buf, 0, n, 0));
}

/** Bytes `start`..`end` (inclusive) of an opened file; the descriptor is closed. */
export function readRange(fd: number, start: number, end: number): Uint8Array {
  try {
    const out = new Uint8Array(Math.max(0, end - start + 1));
    let got = 0;
    while (got < out.length) {
      const n = readSync(fd, out, got, out.length - got, start + got);
      if (n <= 0) break;
      got += n;
    }
    return out.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
