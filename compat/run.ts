/**
 * Runs one request through OUR queue and waits for its end: the compatibility
 * APIs answer synchronously (A1111 and OpenAI clients wait for the pictures),
 * while the task shows up in the UI with progress, obeys pause and order, and
 * is saved like any other (or kept in memory only when "keep API pictures" is
 * off). Resolves with the task and each image's bytes.
 */
import { readFileSync } from "node:fs";
import type { EventBus } from "../core/events/bus";
import type { TaskQueue } from "../queue/queue";
import type { ResolvedRequest } from "../common/image-request";
import type { ImageRecord, Task } from "../queue/task";
import { NamedError } from "../core/server/errors";

export interface FinishedRun {
  task: Task;
  images: { record: ImageRecord; bytes: Uint8Array }[];
}

/** The task failed in the engine (or was interrupted by a restart); the message says why. */
export class RunFailedError extends NamedError {
  override name = "RunFailedError";
  override readonly status = 500;
  constructor(
    override readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Submits and waits for `task.finished` / `task.failed`. A cancelled task resolves with the images made so far. */
export async function runAndWait(
  queue: TaskQueue,
  bus: EventBus,
  request: ResolvedRequest,
  options: { incognito: boolean; onQueued?: (task: Task) => void },
): Promise<FinishedRun> {
  const task = queue.submit(request, { incognito: options.incognito });
  options.onQueued?.(task);
  // Ends are async (the runner polls the engine): subscribing right after submit() misses nothing.
  await new Promise<void>((resolve, reject) => {
    const offFinished = bus.on("task.finished", (e) => {
      if (e.id !== task.id) return;
      off();
      resolve();
    });
    const offFailed = bus.on("task.failed", (e) => {
      if (e.id !== task.id) return;
      off();
      reject(new RunFailedError(e.error.code, e.error.message));
    });
    const off = () => {
      offFinished();
      offFailed();
    };
  });
  const done = queue.get(task.id) ?? task;
  return { task: done, images: queue.images(done).map((record) => ({ record, bytes: imageBytes(queue, record) })) };
}

function imageBytes(queue: TaskQueue, record: ImageRecord): Uint8Array {
  const held = queue.incognito.fetch(record.id);
  if (held) return held.bytes;
  return new Uint8Array(readFileSync(record.path!));
}

export const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

/**
 * The server closes a connection idle for 60 s (listen.ts); a client waiting
 * for a picture sends and receives nothing meanwhile, and a slow machine may
 * take minutes. This lifts the limit for this one request (Bun's server is
 * Hono's `env`).
 */
export function keepWaiting(c: { env: unknown; req: { raw: Request } }): void {
  const server = c.env as { timeout?: (req: Request, seconds: number) => void } | undefined;
  server?.timeout?.(c.req.raw, 0);
}
