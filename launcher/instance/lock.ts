/**
 * One app per data dir. The lock file holds the owner's pid and URL; a lock
 * whose pid is gone is stale and taken over. Creation uses O_EXCL so two
 * starts racing cannot both win.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export interface LockInfo {
  pid: number;
  url: string;
  mode: "gui" | "server";
  started: number;
}

export type LockResult = { acquired: true; release: () => void; update: (info: Partial<LockInfo>) => void } | { acquired: false; holder: LockInfo };

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(file, "utf8")) as LockInfo;
    return typeof info.pid === "number" ? info : undefined;
  } catch {
    return undefined;
  }
}

/** The live holder of the lock, if another process holds it now (a look only: acquireLock decides). */
export function lockHolder(file: string): LockInfo | undefined {
  const holder = readLock(file);
  return holder && holder.pid !== process.pid && pidAlive(holder.pid) ? holder : undefined;
}

export function acquireLock(file: string, info: LockInfo): LockResult {
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      let current = info;
      return {
        acquired: true,
        update: (more) => {
          current = { ...current, ...more };
          const tmp = readLock(file);
          if (tmp?.pid === info.pid) writeFileSync(file, JSON.stringify(current));
        },
        release: () => {
          if (readLock(file)?.pid === info.pid) rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as { code?: string }).code !== "EEXIST") throw err;
      const holder = readLock(file);
      if (holder && holder.pid !== process.pid && pidAlive(holder.pid)) return { acquired: false, holder };
      rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
