/**
 * Thumbnails, made once per picture and kept under the cache: the file name
 * is a hash of the picture's path, size and time, so a changed picture gets
 * a new thumbnail and a rebuilt index finds the old ones. Made by a small
 * pool of workers (thumb-worker.ts), off the event loop; the same picture
 * asked for twice at once is made once. Should a worker fail to start (a
 * build that lacks its entry point), thumbnails are made in this thread
 * instead: slower for the API, never missing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ThumbAnswer, ThumbJob } from "./thumb-worker";
import { NamedError } from "../core/server/errors";

export const THUMB_SIZE = 256;

/** 422 `thumbnail_failed`, or `image_too_large` when the picture was refused before decoding (over the pixel limit). */
export class ThumbnailFailedError extends NamedError {
  override name = "ThumbnailFailedError";
  override readonly code: "thumbnail_failed" | "image_too_large";
  override readonly status = 422;
  constructor(message: string, cause?: string) {
    super(message);
    this.code = cause === "image_too_large" ? "image_too_large" : "thumbnail_failed";
  }
}

export function thumbnailPath(dir: string, picture: { path: string; file_size: number; mtime: number }, max = THUMB_SIZE): string {
  const key = Bun.hash.wyhash(`${picture.path}\0${picture.file_size}\0${picture.mtime}\0${max}`).toString(16).padStart(16, "0");
  return join(dir, key.slice(0, 2), `${key}.webp`);
}

/**
 * The worker's module. Inside the compiled executable it is an embedded
 * entry point (scripts/build.ts), named relative to the repository root, and
 * `import.meta.url` still holds the build machine's path; elsewhere it is the
 * file next to this one.
 */
export function workerSpecifier(main = Bun.main): string {
  const compiled = /[\\/]\$bunfs[\\/]|^[A-Za-z]:[\\/]~BUN[\\/]/.test(main);
  return compiled ? "./gallery/thumb-worker.ts" : new URL("./thumb-worker.ts", import.meta.url).href;
}

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class ThumbnailMaker {
  #workers: Worker[] = [];
  #next = 0;
  #job = 0;
  #pending = new Map<number, Pending>();
  #inFlight = new Map<string, Promise<string>>();
  /** Workers could not run here: make thumbnails in this thread. */
  #inThread = false;

  constructor(
    readonly dir: string,
    readonly workers = 2,
  ) {}

  #worker(): Worker {
    if (this.#workers.length < this.workers) {
      const worker = new Worker(workerSpecifier());
      worker.onmessage = (e: MessageEvent<ThumbAnswer>) => this.#answer(e.data);
      worker.onerror = (e) => {
        this.#inThread = true;
        this.#failAll(new ThumbnailFailedError(`the thumbnail worker failed: ${e.message}`));
      };
      this.#workers.push(worker);
      return worker;
    }
    return this.#workers[this.#next++ % this.#workers.length]!;
  }

  #answer(a: ThumbAnswer) {
    const p = this.#pending.get(a.job);
    if (!p) return;
    this.#pending.delete(a.job);
    if (a.ok) p.resolve();
    else p.reject(new ThumbnailFailedError(a.error, a.code));
  }

  #failAll(err: Error) {
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }

  /** The thumbnail file for a picture, made if missing. */
  thumbnail(picture: { path: string; file_size: number; mtime: number }, max = THUMB_SIZE): Promise<string> {
    const target = thumbnailPath(this.dir, picture, max);
    if (existsSync(target)) return Promise.resolve(target);
    const running = this.#inFlight.get(target);
    if (running) return running;
    const job = ++this.#job;
    const made = this.#inThread
      ? this.#makeHere(picture.path, target, max)
      : new Promise<void>((resolve, reject) => {
          this.#pending.set(job, { resolve, reject });
          this.#worker().postMessage({ job, source: picture.path, target, max } satisfies ThumbJob);
        });
    const done = made
      .then(() => target)
      .finally(() => this.#inFlight.delete(target));
    this.#inFlight.set(target, done);
    return done;
  }

  async #makeHere(source: string, target: string, max: number): Promise<void> {
    const { makeThumbnail } = await import("./thumbnail-image");
    try {
      const { webp } = await makeThumbnail(readFileSync(source), max);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(`${target}.tmp`, webp);
      renameSync(`${target}.tmp`, target);
    } catch (err) {
      throw new ThumbnailFailedError((err as Error).message, (err as { code?: string }).code);
    }
  }

  stop(): void {
    this.#failAll(new ThumbnailFailedError("the app is stopping"));
    for (const w of this.#workers) w.terminate();
    this.#workers = [];
  }
}
