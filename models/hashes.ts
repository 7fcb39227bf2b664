/**
 * Model file hashes: sha256 and A1111's short hash (its first 10 hex
 * digits, the "Model hash" of infotext). The one implementation: the queue's
 * image metadata and the model list both use it. Hashing a checkpoint takes
 * seconds, so results are cached by path + size + mtime (the model_hashes
 * table), concurrent asks for one file share one read (across instances), and the file is read
 * in large chunks through async reads (the event loop gets a turn between
 * chunks; each chunk's hashing takes about a millisecond).
 */
import { open } from "node:fs/promises";
import { statSync } from "node:fs";

/** Where finished hashes are kept (ModelStore: the model_hashes table, models/ its one owner). */
export interface HashCache {
  cachedHash(path: string, size: number, mtime: number): string | null;
  saveHash(path: string, size: number, mtime: number, sha256: string): void;
}

const CHUNK = 4 << 20;

/** The sha256 of a file, in hex. */
export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (!bytesRead) break;
      hasher.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hasher.digest("hex");
}

/** A1111's short model hash. */
export const shortHash = (sha256: string) => sha256.slice(0, 10);

/** Hashes being computed, shared by every ModelHashes (the queue's and the library's): one read per file. */
const pending = new Map<string, Promise<string | null>>();

export class ModelHashes {

  constructor(readonly store: HashCache | null) {}

  /** The cached sha256 of the file as it is now, without reading it; null when not hashed yet. */
  cached(path: string, size: number, mtime: number): string | null {
    return this.store?.cachedHash(path, size, mtime) ?? null;
  }

  /** The full sha256, or null when the file cannot be read. */
  sha256(path: string): Promise<string | null> {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return Promise.resolve(null);
    }
    const mtime = Math.floor(stat.mtimeMs);
    const cached = this.store?.cachedHash(path, stat.size, mtime);
    if (cached) return Promise.resolve(cached);
    const key = `${path}\0${stat.size}\0${mtime}`;
    let p = pending.get(key);
    if (!p) {
      p = sha256File(path)
        .then((hex) => {
          try {
            this.store?.saveHash(path, stat.size, mtime, hex);
          } catch {
            // The database closed under us (shutdown): the hash is still right.
          }
          return hex;
        })
        .catch(() => null)
        .finally(() => pending.delete(key));
      pending.set(key, p);
    }
    return p;
  }

  /** The short hash, or null when the file cannot be read. */
  async short(path: string): Promise<string | null> {
    const hex = await this.sha256(path);
    return hex ? shortHash(hex) : null;
  }

}
