/**
 * The task queue as the UI sees it, shared by every Image tab and the queue
 * panel: loaded from `GET /api/tasks`, kept current by the SSE `task.*` and
 * `queue.status` events, and changed through the queue API. Listeners hear
 * `change`. One instance per page (`queueStore`); tests may build their own.
 */
import type { TaskNotes } from "../../../../queue/task";
import type { VideoRef } from "../../../../common/video-request";
import { api } from "../../api/http";
import { events as defaultStream, type EventStream } from "../../api/event-stream";

export type TaskState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface TaskImage {
  id: string;
  url: string;
  seed: number;
}

export interface TaskProgress {
  /** loading | sampling | decoding */
  phase?: string;
  step: number;
  steps: number;
  /** Iterations per second. */
  rate?: number | null;
  /** Seconds left. */
  eta?: number | null;
}

export interface Task {
  id: string;
  state: TaskState;
  progress?: TaskProgress | null;
  images: TaskImage[];
  /** A video task's video once saved (POST /api/videos). */
  videos?: VideoRef[];
  error?: string | { code?: string; message?: string } | null;
  /** The request as stored (seed resolved). */
  request?: Record<string, unknown>;
  incognito?: boolean;
  created?: number;
  started?: number;
  finished?: number;
  /** The task this one retries. */
  retryOf?: string;
  /** How it ran: step caching and what it reused, a retry at lower GPU memory use. */
  notes?: TaskNotes;
  /** Present on a removed task (no longer listed). */
  removed?: { undo: string; until: number };
}

/** The last removal, offered for undo for a few seconds. */
export interface Removal {
  undo: string;
  ids: string[];
  /** When the server stops accepting the undo (ms). */
  until: number;
}

const TASK_EVENTS = ["task.queued", "task.started", "task.progress", "task.image", "task.video", "task.finished", "task.failed", "task.cancelled"];
const FINAL: TaskState[] = ["succeeded", "failed", "cancelled"];

export const isFinal = (task: Task): boolean => FINAL.includes(task.state);

export function errorText(task: Task): string {
  const e = task.error;
  if (!e) return "";
  return typeof e === "string" ? e : (e.message ?? e.code ?? "failed");
}

export class QueueStore extends EventTarget {
  tasks = new Map<string, Task>();
  paused = false;
  /** The last removal made from this page, while it can be undone. */
  removal?: Removal;
  #off: Array<() => void> = [];
  #loading?: Promise<void>;
  #refetch = new Map<string, Promise<void>>();
  #again = new Set<string>();
  /** Removed here or elsewhere: an answer fetched before the removal does not bring them back. */
  #gone = new Set<string>();

  constructor(readonly stream: EventStream = defaultStream) {
    super();
  }

  /** Starts listening (once) and loads the current list. */
  connect(): Promise<void> {
    if (!this.#off.length) {
      for (const type of TASK_EVENTS) this.#off.push(this.stream.on(type, (d) => this.#onTaskEvent(type, d)));
      this.#off.push(
        this.stream.on("queue.status", (d) => {
          const paused = !!(d as { paused?: boolean })?.paused;
          if (paused !== this.paused) {
            this.paused = paused;
            this.#changed();
          }
        }),
      );
      this.#off.push(this.stream.on("task.removed", (d) => this.#drop((d as { ids?: string[] })?.ids ?? [])));
      this.#off.push(this.stream.on("task.restored", (d) => void this.#restore((d as { ids?: string[] })?.ids ?? [])));
      // After a reconnect events may have been missed: reload.
      this.stream.addEventListener("state", this.#onStreamState);
    }
    return (this.#loading ??= this.reload().finally(() => (this.#loading = undefined)));
  }

  disconnect() {
    for (const off of this.#off) off();
    this.#off = [];
    this.stream.removeEventListener("state", this.#onStreamState);
  }

  async reload() {
    const body = await api<{ tasks: Task[]; status?: { paused?: boolean } }>("/api/tasks");
    const list = body.tasks ?? [];
    if (typeof body.status?.paused === "boolean") this.paused = body.status.paused;
    this.tasks = new Map(list.map((t) => [t.id, normalize(t)]));
    this.#changed();
  }

  /** Tasks in queue order: running first, then queued (server order), then finished, newest first. */
  get ordered(): Task[] {
    const rank = (t: Task) => (t.state === "running" ? 0 : t.state === "queued" ? 1 : 2);
    const when = (t: Task) => Number(t.finished ?? t.created ?? 0);
    return [...this.tasks.values()]
      .map((t, i) => ({ t, i }))
      .sort((a, b) => rank(a.t) - rank(b.t) || (rank(a.t) === 2 ? when(b.t) - when(a.t) : a.i - b.i))
      .map((x) => x.t);
  }

  get queuedIds(): string[] {
    return this.ordered.filter((t) => t.state === "queued").map((t) => t.id);
  }

  /** Queues a request; answers the task id and the seed it will use. */
  /** Queues a task: a picture (POST /api/tasks) or a video (`path` /api/videos). */
  async submit(body: unknown, path = "/api/tasks"): Promise<{ id: string; seed?: number }> {
    const { id, seed } = await api<{ id: string; seed?: number }>(path, { method: "POST", json: body });
    if (!this.tasks.has(id)) {
      this.tasks.set(id, { id, state: "queued", images: [], request: body as Record<string, unknown> });
      this.#changed();
    }
    void this.refresh(id);
    return { id, seed };
  }

  /** Queues an upscale of one picture (POST /api/upscale) and follows the new task. */
  async upscale(body: { image_id: string; factor: 2 | 4; model: string }): Promise<{ id: string }> {
    const { id } = await api<{ id: string }>("/api/upscale", { method: "POST", json: body });
    if (!this.tasks.has(id)) {
      const request = { upscale: { factor: body.factor, model: body.model }, upscale_of: { image_id: body.image_id } };
      this.tasks.set(id, { id, state: "queued", images: [], request });
      this.#changed();
    }
    void this.refresh(id);
    return { id };
  }

  /** Cancels a queued task or stops the running one (which restarts the engine); returns what the server said. */
  async cancel(id: string): Promise<{ engineRestarted?: boolean; message?: string }> {
    const answer = await api<{ engineRestarted?: boolean; message?: string }>(`/api/tasks/${encodeURIComponent(id)}/cancel`, { method: "POST" });
    await this.refresh(id);
    return answer;
  }

  /** Removes tasks from the lists (a waiting one is cancelled); the pictures' files go too only if asked. Undoable for a while. */
  async remove(ids: string[], deletePictures = false): Promise<Removal> {
    return this.#removed(await api<Removal & { removed: string[] }>("/api/tasks/remove", { method: "POST", json: { ids, delete_pictures: deletePictures } }));
  }

  /** "Clear finished": every finished task, pictures kept. */
  async removeFinished(): Promise<Removal> {
    return this.#removed(await api<Removal & { removed: string[] }>("/api/tasks/remove", { method: "POST", json: { finished: true } }));
  }

  #removed(answer: { undo: string; removed: string[]; until: number }): Removal {
    this.removal = { undo: answer.undo, ids: answer.removed, until: answer.until };
    this.#drop(answer.removed);
    this.#changed();
    return this.removal;
  }

  /** Brings back the last removal's tasks. */
  async undo(): Promise<void> {
    const removal = this.removal;
    if (!removal) return;
    this.removal = undefined;
    this.#changed();
    const { restored } = await api<{ restored: string[] }>("/api/tasks/undo", { method: "POST", json: { undo: removal.undo } });
    await this.#restore(restored);
  }

  async #restore(ids: string[]) {
    for (const id of ids) this.#gone.delete(id);
    await Promise.all(ids.map((id) => this.refresh(id)));
  }

  dismissRemoval() {
    this.removal = undefined;
    this.#changed();
  }

  #drop(ids: string[]) {
    let changed = false;
    for (const id of ids) {
      this.#gone.add(id);
      changed = this.tasks.delete(id) || changed;
    }
    if (changed) this.#changed();
  }

  async retry(id: string): Promise<string | undefined> {
    const body = await api<{ id?: string } | undefined>(`/api/tasks/${encodeURIComponent(id)}/retry`, { method: "POST" });
    const newId = body?.id ?? id;
    await this.refresh(newId);
    return newId;
  }

  /** Moves a queued task by `delta` places among the queued ones. */
  async move(id: string, delta: number) {
    const order = this.queuedIds;
    const from = order.indexOf(id);
    const to = Math.max(0, Math.min(order.length - 1, from + delta));
    if (from < 0 || from === to) return;
    order.splice(to, 0, ...order.splice(from, 1));
    await this.setOrder(order);
  }

  async setOrder(order: string[]) {
    await api("/api/queue", { method: "PATCH", json: { order } });
    await this.reload();
  }

  async setPaused(paused: boolean) {
    await api("/api/queue", { method: "PATCH", json: { paused } });
    this.paused = paused;
    this.#changed();
  }

  #onStreamState = () => {
    if (this.stream.state === "open") void this.reload().catch(() => {});
  };

  #onTaskEvent(type: string, data: unknown) {
    const d = (data ?? {}) as Record<string, unknown>;
    const id = String(d.id ?? d.taskId ?? (d.task as Task | undefined)?.id ?? "");
    if (!id) return;
    const known = this.tasks.get(id);
    if (type === "task.progress" && known) {
      const p = (d.progress ?? d) as Partial<TaskProgress>;
      if (typeof p.step === "number" && typeof p.steps === "number") {
        const progress = { phase: p.phase, step: p.step, steps: p.steps, rate: p.rate ?? null, eta: p.eta ?? null };
        this.tasks.set(id, { ...known, state: "running", progress });
        this.#changed();
        return;
      }
    }
    if (d.task && typeof d.task === "object") {
      this.tasks.set(id, normalize(d.task as Task));
      this.#changed();
      return;
    }
    void this.refresh(id);
  }

  /** Fetches one task; an event during a fetch asks for one more, so the last answer is current. */
  refresh(id: string): Promise<void> {
    const running = this.#refetch.get(id);
    if (running) {
      this.#again.add(id);
      return running;
    }
    const p = api<Task>(`/api/tasks/${encodeURIComponent(id)}`)
      .then((t) => {
        // A removed task is not listed (its tab may still hold its id).
        if (t.removed || this.#gone.has(id)) this.tasks.delete(id);
        else this.tasks.set(id, normalize(t));
        this.#changed();
      })
      .catch(() => {})
      .finally(() => {
        this.#refetch.delete(id);
        if (this.#again.delete(id)) void this.refresh(id);
      });
    this.#refetch.set(id, p);
    return p;
  }

  #changed() {
    this.dispatchEvent(new Event("change"));
  }
}

function normalize(t: Task): Task {
  return { ...t, images: Array.isArray(t.images) ? t.images : [] };
}

export const queueStore = new QueueStore();
