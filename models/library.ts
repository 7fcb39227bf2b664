/**
 * The model library: every model file on the search path, each with what its
 * header says, whether the engine can use it, its hashes and Civitai facts.
 * Each listing re-walks the folders (cheap: a readdir and a stat per file),
 * so new and removed files show without a restart or a watcher; headers are
 * read only for files whose path, size or mtime changed (header-cache.ts).
 * sha256 is computed in the background, one file at a time.
 */
import { realpathSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import { insidePath, isInside } from "../core/files/inside";
import { MODEL_KINDS, type ModelKind } from "../core/paths";
import { needsOf } from "./companions";
import type { CivitaiInfo, LastUsed, ModelEntry } from "./entry";
import { formatOf } from "./formats";
import type { HeaderCache } from "./header-cache";
import { shortHash, type ModelHashes } from "./hashes";
import { identifyFile } from "./identify-file";
import type { SearchPath } from "./roots";
import { usability } from "./usable";
import { walkModelFolder } from "./walk";
import { NamedError } from "../core/server/errors";

export interface ModelList {
  models: ModelEntry[];
  /** Usable names per kind (the Image tab's pickers). */
  kinds: Record<ModelKind, string[]>;
  roots: { path: string; layout: string; error?: string }[];
  lastUsed: LastUsed | null;
  /** Background work (hashing) is still going on. */
  scanning: boolean;
}

export interface LibraryOptions {
  search: () => SearchPath;
  headers: HeaderCache;
  hashes: ModelHashes;
  lastUsed?: () => LastUsed | null;
  /** Civitai facts for an entry (the net helper's by-hash lookup); null when unknown. */
  enrich?: (entry: ModelEntry) => CivitaiInfo | null;
  /** Hash files in the background after each listing (default true; a function is asked each time). */
  hashInBackground?: boolean | (() => boolean);
  onHashed?: (entry: ModelEntry) => void;
}

export { identifyFile };

export class ModelNotInRootError extends NamedError {
  override name = "ModelNotInRootError";
  override readonly code = "forbidden";
  override readonly status = 403;
}

/** The file could not be removed: on Windows another program holds it open (EBUSY), or it is read-only (EPERM/EACCES). */
export class ModelInUseError extends NamedError {
  override name = "ModelInUseError";
  override readonly code = "model_in_use";
  override readonly status = 409;
}

const IN_USE_CODES = new Set(["EBUSY", "EPERM", "EACCES"]);

export class ModelLibrary {
  #last: ModelEntry[] = [];
  #hashQueue: ModelEntry[] = [];
  #hashing = false;
  #stopped = false;

  constructor(readonly opts: LibraryOptions) {}

  setEnricher(enrich: LibraryOptions["enrich"]): void {
    this.opts.enrich = enrich;
  }

  /** Walks every root and identifies each file (cached headers unless `fresh`). */
  async list(options: { fresh?: boolean } = {}): Promise<ModelList> {
    const search = this.opts.search();
    if (options.fresh) this.opts.headers.clear();
    const seen = new Set<string>();
    const models: ModelEntry[] = [];
    let sinceYield = 0;
    for (const kind of MODEL_KINDS) {
      for (const root of search) {
        for (const folder of root.folders[kind]) {
          for (const f of walkModelFolder(folder)) {
            const key = `${kind}\0${f.name}`;
            if (seen.has(key)) continue;
            seen.add(key);
            let identity = this.opts.headers.get(f.file, f.size, f.mtime);
            if (!identity) {
              identity = identifyFile(f.file);
              this.opts.headers.set(f.file, f.size, f.mtime, identity);
              // Let requests through between header reads on a large first scan.
              if (++sinceYield % 50 === 0) await Bun.sleep(0);
            }
            const sha256 = this.opts.hashes.cached(f.file, f.size, f.mtime);
            let { usable, problem } = usability(kind, f.name, identity);
            // sd-server finds a request's LoRA by walking its LoRA folder without following linked folders (engine/lora-files.ts).
            if (usable && kind === "lora" && f.viaLinkedFolder) {
              usable = false;
              problem = "the engine does not look inside linked folders for LoRAs: link the file itself, not its folder";
            }
            const entry: ModelEntry = {
              kind,
              name: f.name,
              file: f.file,
              folder,
              root: root.id,
              layout: root.layout,
              size: f.size,
              mtime: f.mtime,
              format: formatOf(f.name)!,
              detected: identity.detected,
              family: identity.family,
              precision: identity.precision,
              usable,
              ...(problem ? { problem } : {}),
              ...(identity.encoder ? { encoder: identity.encoder } : {}),
              ...(identity.videoFamily ? { videoFamily: identity.videoFamily } : {}),
              sha256,
              shortHash: sha256 ? shortHash(sha256) : null,
              needs: needsOf(identity),
              civitai: null,
            };
            entry.civitai = this.#enrich(entry);
            models.push(entry);
          }
        }
      }
    }
    this.opts.headers.keepOnly(new Set(models.map((m) => m.file)));
    this.opts.headers.save();
    this.#last = models;
    const hash = this.opts.hashInBackground;
    if (typeof hash === "function" ? hash() : hash !== false) this.#queueHashes(models);
    const usableNames = (k: ModelKind) => models.filter((m) => m.kind === k && m.usable).map((m) => m.name);
    const kinds = Object.fromEntries(MODEL_KINDS.map((k) => [k, usableNames(k)])) as Record<ModelKind, string[]>;
    return {
      models,
      kinds,
      roots: search.map((r) => ({ path: r.id === "app" ? r.path : r.id, layout: r.layout, ...(r.error ? { error: r.error } : {}) })),
      lastUsed: this.opts.lastUsed?.() ?? null,
      scanning: this.#hashing,
    };
  }

  /** The entries of the last listing. */
  get entries(): ModelEntry[] {
    return this.#last;
  }

  #enrich(entry: ModelEntry): CivitaiInfo | null {
    try {
      return this.opts.enrich?.(entry) ?? null;
    } catch {
      return null;
    }
  }

  /**
   * Deletes a model file by kind and name. Only a file inside one of the
   * roots' kind folders, reached without leaving it: the name must stay
   * inside the folder lexically, and the file's real folder must lie inside
   * the kind folder's real path (a symlinked folder pointing elsewhere is
   * refused). A symlinked file is removed as a link; its target stays.
   * Returns false when no such model exists.
   */
  delete(kind: ModelKind, name: string): boolean {
    for (const root of this.opts.search()) {
      for (const folder of root.folders[kind]) {
        const full = insidePath(folder, name);
        if (!full || !formatOf(full)) continue;
        const found = walkModelFolder(folder).find((f) => f.name === name);
        if (!found) continue;
        let realFolder: string, realParent: string;
        try {
          realFolder = realpathSync(folder);
          realParent = realpathSync(dirname(full));
        } catch {
          continue;
        }
        if (realParent !== realFolder && !isInside(realFolder, realParent))
          throw new ModelNotInRootError(`${kind}/${name} lies outside the model folder (through a linked folder); delete it where it is`);
        try {
          unlinkSync(full);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? "";
          if (!IN_USE_CODES.has(code)) throw err;
          throw new ModelInUseError(
            `${kind}/${name} could not be deleted: another program has it open, or it is read-only (${code}); close that program and try again`,
          );
        }
        return true;
      }
    }
    return false;
  }

  #queueHashes(models: ModelEntry[]): void {
    const queued = new Set(this.#hashQueue.map((e) => e.file));
    for (const m of models) if (!m.sha256 && m.usable && !queued.has(m.file)) this.#hashQueue.push(m);
    if (!this.#hashing && this.#hashQueue.length) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#hashing = true;
    try {
      while (!this.#stopped) {
        const next = this.#hashQueue.shift();
        if (!next) break;
        const sha = await this.opts.hashes.sha256(next.file);
        if (sha && !this.#stopped) this.opts.onHashed?.({ ...next, sha256: sha, shortHash: shortHash(sha) });
      }
    } finally {
      this.#hashing = false;
    }
  }

  /** Resolves once background hashing is done (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.#hashing) await Bun.sleep(5);
  }

  stop(): void {
    this.#stopped = true;
    this.#hashQueue = [];
  }
}
