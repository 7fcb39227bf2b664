/**
 * What each worker is doing now: checked (its session as a guest and its
 * model list) when added, at start, every little while, and after a task;
 * `ready` when its token works, `busy` with a task, `refused` (401, 403, 5xx:
 * its reason kept and shown) or `unreachable`; neither of the last two gets
 * tasks until a check finds it back. Published as `workers.changed`.
 */
import type { EventBus } from "../core/events/bus";
import { Listeners } from "../engine/process/listeners";
import { WorkerClient, type ClientOptions, type WorkerModel } from "./client";
import { WorkerRefusedError } from "./errors";
import type { WorkerEntry, WorkerStore } from "./store";

export type WorkerState = "checking" | "ready" | "busy" | "refused" | "unreachable";

export interface WorkerView extends WorkerEntry {
  state: WorkerState;
  /** Why it is refused or unreachable, or what it said last. */
  reason?: string;
  /** How many model files it has (usable ones). */
  models?: number;
  /** The task of this computer it runs now. */
  task?: string;
  checked?: number;
}

interface Live {
  client: WorkerClient;
  state: WorkerState;
  reason?: string;
  models: WorkerModel[];
  /** Its owner lets other devices download models (its models.guest_downloads). */
  guestDownloads: boolean;
  task?: string;
  checked?: number;
}

declare module "../core/events/bus" {
  interface EventMap {
    /** A worker was added, removed, or its state changed (no addresses, no tokens). */
    "workers.changed": { workers: { id: string; name: string; state: WorkerState; reason?: string; task?: string }[] };
  }
}

export interface BoardOptions {
  store: WorkerStore;
  bus: EventBus;
  client?: ClientOptions;
  /** How often ready workers are checked (default 30 s) and ones that refused or were gone (default 10 s). */
  readyCheckMs?: number;
  downCheckMs?: number;
}

export class WorkerBoard {
  #live = new Map<string, Live>();
  #changes = new Listeners<void>();
  #timer?: ReturnType<typeof setInterval>;

  constructor(readonly o: BoardOptions) {}

  start(): void {
    for (const w of this.o.store.list()) void this.check(w.id);
    const tick = Math.min(this.o.readyCheckMs ?? 30_000, this.o.downCheckMs ?? 10_000);
    this.#timer = setInterval(() => this.#due(), tick);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** The live record of a worker (made on first use, from the store). */
  live(id: string): Live {
    let l = this.#live.get(id);
    if (!l) {
      const w = this.o.store.get(id);
      l = { client: new WorkerClient(w.url, this.o.store.tokenOf(id), this.o.client), state: "checking", models: [], guestDownloads: false };
      this.#live.set(id, l);
    }
    return l;
  }

  /** The live record of a worker, if it has one (never made here: the worker may have been removed). */
  peek(id: string): Live | undefined {
    return this.#live.get(id);
  }

  forget(id: string): void {
    this.#live.delete(id);
    this.changed();
  }

  views(): WorkerView[] {
    return this.o.store.list().map((w) => {
      const l = this.live(w.id);
      return {
        ...w,
        state: l.state,
        ...(l.reason ? { reason: l.reason } : {}),
        ...(l.checked ? { checked: l.checked, models: l.models.filter((m) => m.usable !== false).length } : {}),
        ...(l.task ? { task: l.task } : {}),
      };
    });
  }

  /** Asks the worker who this computer is there and what models it has; the state says how that went. */
  async check(id: string): Promise<void> {
    if (!this.o.store.list().some((w) => w.id === id)) return; // removed meanwhile
    const l = this.live(id);
    try {
      const session = await l.client.session();
      if (session.role !== "guest" && session.role !== "owner")
        throw new WorkerRefusedError(`${l.client.url} did not say what this computer may do there`, 200);
      l.guestDownloads = session.guest_downloads === true;
      l.models = await l.client.models();
      if (l.state !== "busy") l.state = "ready";
      l.reason = undefined;
    } catch (err) {
      if (!this.#live.has(id)) return;
      this.mark(id, err as Error);
    }
    l.checked = Date.now();
    this.changed();
  }

  /** The worker refused or went away: no tasks until a check finds it back. */
  mark(id: string, err: Error): void {
    const l = this.#live.get(id);
    if (!l) return;
    l.state = err instanceof WorkerRefusedError ? "refused" : "unreachable";
    l.reason = err.message;
    l.task = undefined;
    this.changed();
  }

  /** A task of this computer starts (id) or ends (undefined) there. */
  busy(id: string, task: string | undefined): void {
    const l = this.#live.get(id);
    if (!l) return;
    l.task = task;
    if (task) l.state = "busy";
    else if (l.state === "busy") l.state = "ready";
    this.changed();
  }

  onChange(listener: () => void): () => void {
    return this.#changes.add(listener);
  }

  #due(): void {
    const now = Date.now();
    for (const w of this.o.store.list()) {
      const l = this.live(w.id);
      const every = l.state === "ready" ? (this.o.readyCheckMs ?? 30_000) : (this.o.downCheckMs ?? 10_000);
      if (l.state !== "busy" && l.state !== "checking" && now - (l.checked ?? 0) >= every) void this.check(w.id);
    }
  }

  /** Tells the bus and the queue (a worker's state, or what it may take, changed). */
  changed(): void {
    const workers = this.views().map(({ id, name, state, reason, task }) => ({ id, name, state, ...(reason ? { reason } : {}), ...(task ? { task } : {}) }));
    this.o.bus.publish("workers.changed", { workers });
    this.#changes.emit();
  }
}
