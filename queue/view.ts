/** The JSON shape of a task in the API (`GET /api/tasks/:id` and the list). */
import type { ImageRecord, Task, TaskError, TaskNotes, TaskProgress, TaskState } from "./task";
import { imageRef } from "./events";
import type { TaskQueue } from "./queue";
import type { TaskImageRef } from "./events";

export interface TaskView {
  id: string;
  /** Its task kind: "image", "upscale", "video" (task-kinds.ts). */
  kind: string;
  state: TaskState;
  incognito: boolean;
  created: number;
  started?: number;
  finished?: number;
  /** Step progress of the current image; rate in it/s, eta in seconds. */
  progress: TaskProgress & { phase?: string; image?: number; images?: number };
  images: TaskImageRef[];
  error?: TaskError;
  retryOf?: string;
  /** How it ran: the step caching and what it reused ("9 of 20 steps reused, ×1.8"), a retry at lower GPU memory use. */
  notes?: TaskNotes;
  /** Present on a removed task (it is no longer listed): its undo token, until when it works, and whether its pictures will be deleted then. */
  removed?: { undo: string; until: number; deletePictures: boolean };
  /** The request with the seed actually used; image data replaced by `true` (fetch the task alone to get it). */
  request: Record<string, unknown>;
}

const IMAGE_FIELDS = ["init_image", "mask", "control_image"] as const;

export function taskView(queue: TaskQueue, task: Task, options: { withImages?: boolean } = {}): TaskView & Record<string, unknown> {
  const kind = queue.kinds.of(task.request);
  const live = queue.progressOf(task.id);
  const steps = task.request.steps;
  const progress = live
    ? { ...live }
    : { step: task.state === "succeeded" ? steps : 0, steps, rate: null, eta: null };
  const request: Record<string, unknown> = { ...task.request };
  if (!options.withImages) {
    for (const f of IMAGE_FIELDS) if (request[f]) request[f] = true;
    if (task.request.ref_images.length) request.ref_images = task.request.ref_images.map(() => true);
    if (task.request.upscale_of?.image) request.upscale_of = { ...task.request.upscale_of, image: true };
  }
  const images: ImageRecord[] = queue.images(task);
  return {
    id: task.id,
    kind: kind.name,
    state: task.state,
    incognito: task.incognito,
    created: task.created,
    ...(task.started ? { started: task.started } : {}),
    ...(task.finished ? { finished: task.finished } : {}),
    progress,
    images: images.map(imageRef),
    ...(task.error ? { error: task.error } : {}),
    ...(task.retryOf ? { retryOf: task.retryOf } : {}),
    ...(task.notes ? { notes: task.notes } : {}),
    ...(task.removed ? { removed: { undo: task.removed.undo, until: task.removed.until, deletePictures: task.removed.deletePictures } } : {}),
    request,
    ...kind.view?.(task, { withImages: !!options.withImages }),
  };
}
