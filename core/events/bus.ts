/**
 * The app's typed event bus. Every part publishes here; the SSE route relays
 * it to the UI. A ring of recent events lets a reconnecting client resume
 * from its Last-Event-ID without missing anything.
 *
 * Other modules add their events by merging into EventMap:
 *   declare module "../core/events/bus" { interface EventMap { "engine.state": {...} } }
 */
export interface EventMap {
  "app.started": { url: string; version: string };
  "app.stopping": { reason: string };
  "config.changed": { keys: string[] };
  "system.stats": SystemStats;
  "queue.status": { running: number; total: number; paused: boolean };
  "window.focus": Record<string, never>;
  /** The server listens on a new address (other devices allowed or not); `error` when the move failed. */
  "server.listening": { host: string; port: number; error?: string };
}

export interface SystemStats {
  ramUsed: number;
  ramTotal: number;
  /** null when no GPU memory figure could be read. */
  vramUsed: number | null;
  vramTotal: number | null;
  /** Each NVIDIA GPU in nvidia-smi's order, which is CUDA<i>'s (engine/process/engine-env.ts); absent when not known. */
  gpus?: { used: number; total: number }[];
}

export type EventType = keyof EventMap;

export interface BusEvent<T extends EventType = EventType> {
  id: number;
  type: T;
  data: EventMap[T];
  time: number;
}

type Listener = (event: BusEvent) => void;

/**
 * Types of which several run side by side (one per `id`: the source build's
 * two tarballs, several model downloads): a new client gets the latest event
 * of each, up to this many, not only of the last one.
 */
const LATEST_PER_ID: Partial<Record<string, number>> = { download: 32 };

export class EventBus {
  #nextId = 1;
  #ring: BusEvent[] = [];
  #listeners = new Set<Listener>();
  #clients = 0;
  /** Latest value of each type (of each id, for LATEST_PER_ID types), so a new client can paint the current state at once. */
  #latest = new Map<string, BusEvent>();

  constructor(readonly capacity = 1000) {}

  publish<T extends EventType>(type: T, data: EventMap[T]): BusEvent<T> {
    const event: BusEvent<T> = { id: this.#nextId++, type, data, time: Date.now() };
    this.#ring.push(event as BusEvent);
    if (this.#ring.length > this.capacity) this.#ring.splice(0, this.#ring.length - this.capacity);
    this.#keepLatest(event as BusEvent);
    for (const listener of this.#listeners) {
      try {
        listener(event as BusEvent);
      } catch {
        // A broken subscriber must not stop the others.
      }
    }
    return event;
  }

  /**
   * `client: true` marks a subscriber that shows the events to a person (an
   * SSE stream): work done only for display, like sampling RAM/VRAM, runs
   * while at least one is connected.
   */
  subscribe(listener: Listener, options: { client?: boolean } = {}): () => void {
    this.#listeners.add(listener);
    if (options.client) this.#clients++;
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.#listeners.delete(listener);
      if (options.client) this.#clients--;
    };
  }

  on<T extends EventType>(type: T, listener: (data: EventMap[T], event: BusEvent<T>) => void): () => void {
    return this.subscribe((e) => {
      if (e.type === type) listener(e.data as EventMap[T], e as BusEvent<T>);
    });
  }

  /** Events after `lastId`; `complete` is false when some were already dropped from the ring. */
  since(lastId: number): { events: BusEvent[]; complete: boolean } {
    const first = this.#ring[0];
    const events = this.#ring.filter((e) => e.id > lastId);
    return { events, complete: !first || first.id <= lastId + 1 };
  }

  #keepLatest(event: BusEvent) {
    const perId = LATEST_PER_ID[event.type];
    const id = (event.data as { id?: unknown }).id;
    if (!perId || typeof id !== "string") return void this.#latest.set(event.type, event);
    const key = `${event.type}\0${id}`;
    this.#latest.delete(key); // re-inserted last: the map's order is the age order
    this.#latest.set(key, event);
    const keys = [...this.#latest.keys()].filter((k) => k.startsWith(`${event.type}\0`));
    for (const old of keys.slice(0, Math.max(0, keys.length - perId))) this.#latest.delete(old);
  }

  latest(): BusEvent[] {
    return [...this.#latest.values()].sort((a, b) => a.id - b.id);
  }

  /** Subscribers that display events to a person (see subscribe). */
  get clientCount(): number {
    return this.#clients;
  }

  get lastId(): number {
    return this.#nextId - 1;
  }
}
