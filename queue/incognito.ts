/**
 * Incognito work lives only in memory: its tasks and image bytes are never
 * written to disk. Images stay until fetched (then a short grace period, so a
 * re-render or download still works) or until they expire.
 */
import type { ImageRecord, Task } from "./task";

interface HeldImage {
  record: ImageRecord;
  bytes: Uint8Array;
  expires: number;
}

export class IncognitoMemory {
  #tasks = new Map<string, { task: Task; expires: number }>();
  #images = new Map<string, HeldImage>();

  constructor(
    readonly ttlMs = 30 * 60_000,
    readonly afterFetchMs = 60_000,
    readonly now: () => number = Date.now,
  ) {}

  putTask(task: Task): void {
    this.#tasks.set(task.id, { task, expires: this.now() + this.ttlMs });
  }

  task(id: string): Task | null {
    this.sweep();
    return this.#tasks.get(id)?.task ?? null;
  }

  tasks(): Task[] {
    this.sweep();
    return [...this.#tasks.values()].map((t) => t.task);
  }

  putImage(record: ImageRecord, bytes: Uint8Array): void {
    this.#images.set(record.id, { record, bytes, expires: this.now() + this.ttlMs });
  }

  imagesOf(taskId: string): ImageRecord[] {
    this.sweep();
    return [...this.#images.values()].filter((i) => i.record.taskId === taskId).map((i) => i.record);
  }

  /** The image, shortening its life to the grace period once fetched. */
  fetch(id: string): { record: ImageRecord; bytes: Uint8Array } | null {
    this.sweep();
    const held = this.#images.get(id);
    if (!held) return null;
    held.expires = Math.min(held.expires, this.now() + this.afterFetchMs);
    return held;
  }

  sweep(): void {
    const now = this.now();
    for (const [id, img] of this.#images) if (img.expires <= now) this.#images.delete(id);
    for (const [id, t] of this.#tasks) if (t.expires <= now && t.task.state !== "queued" && t.task.state !== "running") this.#tasks.delete(id);
  }
}
