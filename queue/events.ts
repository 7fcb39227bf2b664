/** The queue's events on the app bus (relayed to the UI over SSE), and how a picture is referred to in them. */
import type { ImageRecord, TaskError, TaskState } from "./task";

export interface TaskImageRef {
  id: string;
  url: string;
  seed: number;
  width: number;
  height: number;
  format: "png" | "jpeg" | "webp";
}

export const imageUrl = (id: string) => `/api/images/${id}`;
export const imageRef = (i: ImageRecord): TaskImageRef => ({ id: i.id, url: imageUrl(i.id), seed: i.seed, width: i.width, height: i.height, format: i.format });

export interface TaskProgressEvent {
  id: string;
  /**
   * What the engine is doing: loading weights (step/steps count tensors then), sampling steps, decoding latents,
   * upscaling (step/steps count tiles, or passes), converting a video the engine gave as AVI (step/steps count frames).
   */
  phase: "loading" | "sampling" | "decoding" | "upscaling" | "converting";
  step: number;
  steps: number;
  rate: number | null;
  eta: number | null;
  /** Which image of the task is sampling (1-based), of how many. */
  image?: number;
  images?: number;
}

declare module "../core/events/bus" {
  interface EventMap {
    "task.queued": { id: string; position: number; incognito: boolean };
    "task.started": { id: string };
    "task.progress": TaskProgressEvent;
    "task.image": { id: string; index: number; image: TaskImageRef };
    /** succeeded or cancelled; `engineRestarted` when stopping it restarted the engine. */
    "task.finished": { id: string; state: Extract<TaskState, "succeeded" | "cancelled">; engineRestarted?: boolean };
    "task.failed": { id: string; error: TaskError };
    /** Hidden from the lists (queue/removal.ts); `undo` brings them back until `until`. */
    "task.removed": { ids: string[]; undo: string; until: number };
    "task.restored": { ids: string[] };
    /** A removed task's picture files were deleted (the user asked, and its undo had expired). */
    "task.pictures_deleted": { id: string; paths: string[] };
  }
}

export {};
