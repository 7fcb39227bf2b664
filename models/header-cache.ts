/**
 * What each model file's header said, kept by path + size + mtime in one
 * JSON file under the data folder (paths.modelHeaderCache), so a rescan
 * reads no headers of files that did not change. A cache written by an
 * older identification logic (another VERSION) is ignored.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Identity } from "./entry";

/** Bump when identify() changes what it says about a file. */
const VERSION = 3; // 3: video families (videoFamily), motion modules, 5-D shapes read as upstream does

interface Cached {
  size: number;
  mtime: number;
  identity: Identity;
}

export class HeaderCache {
  #loaded: Map<string, Cached> | null = null;
  #dirty = false;

  /** The file is read on first use, not at app start. */
  constructor(readonly file: string | null) {}

  get #entries(): Map<string, Cached> {
    if (this.#loaded) return this.#loaded;
    this.#loaded = new Map();
    if (!this.file) return this.#loaded;
    try {
      const data = JSON.parse(readFileSync(this.file, "utf8")) as { version: number; entries: Record<string, Cached> };
      if (data.version === VERSION) for (const [path, c] of Object.entries(data.entries)) this.#loaded.set(path, c);
    } catch {
      // Missing or unreadable: start empty.
    }
    return this.#loaded;
  }

  get(path: string, size: number, mtime: number): Identity | null {
    const c = this.#entries.get(path);
    return c && c.size === size && c.mtime === mtime ? c.identity : null;
  }

  set(path: string, size: number, mtime: number, identity: Identity): void {
    this.#entries.set(path, { size, mtime, identity });
    this.#dirty = true;
  }

  /** Forgets entries of files no longer listed. */
  keepOnly(paths: Set<string>): void {
    for (const p of this.#entries.keys())
      if (!paths.has(p)) {
        this.#entries.delete(p);
        this.#dirty = true;
      }
  }

  clear(): void {
    this.#entries.clear();
    this.#dirty = true;
  }

  /** Writes the file if anything changed (atomically: temp file + rename). */
  save(): void {
    if (!this.file || !this.#dirty) return;
    this.#dirty = false;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify({ version: VERSION, entries: Object.fromEntries(this.#entries) }));
      renameSync(tmp, this.file);
    } catch {
      this.#dirty = true;
    }
  }
}
