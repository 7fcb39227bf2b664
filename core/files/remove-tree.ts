/**
 * `rm -rf` that also works under Wine: Bun's recursive rm on Windows fails there
 * with EFAULT ("bad address in system call argument", Wine 8.0 lacks the NT call
 * it uses), while unlinking files and removing empty folders one by one works.
 * Real Windows takes the first path; the walk is the fallback.
 */
import { lstatSync, readdirSync, rmdirSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";

/** Removes a file or folder tree; a missing path is fine. Other errors (a locked file: EBUSY/EPERM) are thrown. */
export function removeTree(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EFAULT" && code !== "ENOTSUP") throw err;
    removeByWalking(path);
  }
}

function removeByWalking(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  if (!stat.isDirectory()) return unlinkSync(path);
  for (const name of readdirSync(path)) removeByWalking(join(path, name));
  rmdirSync(path);
}
