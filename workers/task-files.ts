/**
 * The model files each waiting task needs, with their sha256 on this computer,
 * remembered per task: the queue asks every worker to score every waiting task
 * each time it looks for work, and resolving names and reading the hash cache
 * per ask would cost more than the answer. A file not hashed yet is hashed once,
 * in the background; `onHashed` tells the queue to look again.
 */
import { statSync } from "node:fs";
import type { ModelHashes } from "../models/hashes";
import { resolveModels } from "../models/resolve";
import type { SearchPath } from "../models/roots";
import type { Task } from "../queue/task";
import { neededFiles, type NeededFile } from "./model-match";

export type HashedFile = NeededFile & { sha256: string };

/** Tasks remembered at most (the queue holds up to 1,000 waiting). */
const REMEMBERED = 2_000;

export class TaskFiles {
  #known = new Map<string, HashedFile[]>();
  #hashing = new Set<string>();

  constructor(readonly o: { models: () => SearchPath; hashes: () => ModelHashes | undefined; onHashed: () => void }) {}

  /** The task's files and their sha256; null while some are being hashed, or when its models cannot be found here. */
  of(task: Task): HashedFile[] | null {
    const known = this.#known.get(task.id);
    if (known) return known;
    const hashes = this.o.hashes();
    if (!hashes) return null;
    let needs: NeededFile[];
    try {
      needs = neededFiles(task.request, resolveModels(this.o.models(), task.request));
    } catch {
      return null;
    }
    const sums = needs.map((n) => {
      const s = statSync(n.path, { throwIfNoEntry: false });
      return s ? hashes.cached(n.path, s.size, Math.floor(s.mtimeMs)) : null;
    });
    if (sums.every((s) => s)) {
      const files = needs.map((n, i) => ({ ...n, sha256: sums[i]! }));
      this.#known.set(task.id, files);
      if (this.#known.size > REMEMBERED) this.#known.delete(this.#known.keys().next().value!);
      return files;
    }
    for (const n of needs.filter((_, i) => !sums[i] && !this.#hashing.has(needs[i]!.path))) {
      this.#hashing.add(n.path);
      void hashes.sha256(n.path).finally(() => {
        this.#hashing.delete(n.path);
        this.o.onHashed();
      });
    }
    return null;
  }

  /** A task that ran (or left the queue) is not asked about again. */
  forget(taskId: string): void {
    this.#known.delete(taskId);
  }
}
