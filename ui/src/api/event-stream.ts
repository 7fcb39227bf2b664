/**
 * One shared EventSource on `/api/events` for the whole UI. The browser
 * reconnects by itself and sends Last-Event-ID; when it gives up (the server
 * answered with an error) we open a new one that resumes from the last id
 * we saw. Components subscribe by event type and to the connection state.
 */
export type ConnectionState = "connecting" | "open" | "down";

type Listener = (data: unknown) => void;

export class EventStream extends EventTarget {
  #source?: EventSource;
  #listeners = new Map<string, Set<Listener>>();
  #lastId?: string;
  #retry?: ReturnType<typeof setTimeout>;
  #retryMs = 1000;
  state: ConnectionState = "connecting";

  constructor(readonly url = "/api/events") {
    super();
  }

  /** Subscribes to one event type; returns the unsubscribe function. */
  on(type: string, listener: Listener): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
      this.#source?.addEventListener(type, this.#dispatch);
    }
    set.add(listener);
    this.connect();
    return () => set!.delete(listener);
  }

  connect() {
    if (this.#source) return;
    const url = this.#lastId ? `${this.url}?lastEventId=${encodeURIComponent(this.#lastId)}` : this.url;
    const source = new EventSource(url);
    this.#source = source;
    for (const type of this.#listeners.keys()) source.addEventListener(type, this.#dispatch);
    source.onopen = () => {
      this.#retryMs = 1000;
      this.#setState("open");
    };
    source.onerror = () => {
      this.#setState("down");
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (HTTP error): retry ourselves, backing off up to 10 s.
        this.#source = undefined;
        clearTimeout(this.#retry);
        this.#retry = setTimeout(() => this.connect(), this.#retryMs);
        this.#retryMs = Math.min(this.#retryMs * 2, 10_000);
      }
    };
  }

  close() {
    clearTimeout(this.#retry);
    this.#source?.close();
    this.#source = undefined;
    this.#setState("down");
  }

  #dispatch = (e: Event) => {
    const msg = e as MessageEvent<string>;
    if (msg.lastEventId) this.#lastId = msg.lastEventId;
    let data: unknown;
    try {
      data = JSON.parse(msg.data);
    } catch {
      return;
    }
    for (const listener of this.#listeners.get(msg.type) ?? []) listener(data);
  };

  #setState(state: ConnectionState) {
    if (state === this.state) return;
    this.state = state;
    this.dispatchEvent(new Event("state"));
  }
}

/** The app-wide stream. */
export const events = new EventStream();
