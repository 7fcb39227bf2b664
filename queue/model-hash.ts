/**
 * A1111's short model hash: the first 10 hex digits of the file's sha256.
 * Hashing a checkpoint takes seconds, so results are cached in the database
 * by path + size + mtime, and concurrent asks for one file share one read.
 */
import { statSync } from "node:fs";
import type { TaskStore } from "./store";

export class ModelHashes {
  #pending = new Map<string, Promise<string | null>>();

  constructor(readonly store: TaskStore | null) {}

  /** The short hash, or null when the file cannot be read. */
  short(path: string): Promise<string | null> {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return Promise.resolve(null);
    }
    const mtime = Math.floor(stat.mtimeMs);
    const cached = this.store?.cachedHash(path, stat.size, mtime);
    if (cached) return Promise.resolve(cached.slice(0, 10));
    const key = `${path}\0${stat.size}\0${mtime}`;
    let p = this.#pending.get(key);
    if (!p) {
      p = sha256File(path)
        .then((hex) => {
          this.store?.saveHash(path, stat.size, mtime, hex);
          return hex.slice(0, 10);
        })
        .catch(() => null)
        .finally(() => this.#pending.delete(key));
      this.#pending.set(key, p);
    }
    return p;
  }
}

export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}
