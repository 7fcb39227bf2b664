/** A task: one image request in the queue, and what became of it. */
import type { ResolvedRequest } from "../common/image-request";
import type { CacheMode, CacheReport } from "../common/speed";

export const TASK_STATES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface TaskError {
  /** interrupted | engine | model_not_found | invalid_output | … */
  code: string;
  message: string;
}

export interface TaskProgress {
  step: number;
  steps: number;
  /** Iterations per second, when the engine reported one. */
  rate: number | null;
  /** Seconds left for the current image's sampling, when known. */
  eta: number | null;
}

export interface Task {
  id: string;
  state: TaskState;
  /** Queue order among queued tasks (lower runs first). */
  position: number;
  request: ResolvedRequest;
  created: number;
  started?: number;
  finished?: number;
  error?: TaskError;
  /** The task this one retries. */
  retryOf?: string;
  /** Never written to disk. */
  incognito: boolean;
  /** Removed from the lists (queue/removal.ts): undoable until `until`. */
  removed?: TaskRemoval;
  /** How it ran: step caching and what it reused, a retry at a lower GPU memory use. */
  notes?: TaskNotes;
}

export interface TaskNotes {
  /** The step caching that ran (speed.ts speedPlan) and, once sampling ended, what the engine said it reused. */
  speed?: { mode: CacheMode; option: string; note?: string; report?: CacheReport; reused?: string };
  /** The GPU memory use it ran at (common/memory-levels.ts); `retriedFrom` when out of memory made it try again lower. */
  memory?: { level: string; retriedFrom?: string; note?: string };
  /** Its engine (or worker) failed under it: it ran once more on another executor (retry-elsewhere.ts). */
  retry?: { from: string; note: string };
  /** It runs (ran) on another computer working for this one (workers/executor.ts): that worker's id and name, for its card. */
  worker?: { id: string; name: string };
}

export interface TaskRemoval {
  /** The token that undoes it (shared by the tasks removed together). */
  undo: string;
  /** Undo works until this time (ms); then the pictures are deleted if asked. */
  until: number;
  /** The state before: a queued task was cancelled by its removal, and undo queues it again. */
  from: TaskState;
  /** Delete the task's picture files once the undo has expired. */
  deletePictures: boolean;
}

export interface ImageRecord {
  id: string;
  taskId: string;
  /** Absolute path (durable images); absent for incognito ones held in memory. */
  path?: string;
  seed: number;
  width: number;
  height: number;
  format: "png" | "jpeg" | "webp";
  created: number;
}

export const isFinal = (s: TaskState) => s === "succeeded" || s === "failed" || s === "cancelled";

/** Short, time-sortable, URL- and file-name-safe ids. */
export function newId(prefix: string): string {
  const rand = crypto.getRandomValues(new Uint8Array(5)).reduce((s, b) => s + b.toString(36).padStart(2, "0"), "");
  return `${prefix}${Date.now().toString(36)}${rand}`;
}
