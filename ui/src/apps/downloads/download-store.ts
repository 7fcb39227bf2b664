/**
 * The downloads this page has heard of, from `download` events (engine, models, sources) (a new
 * page gets the latest one replayed by /api/events, so a reload mid-download
 * shows it at once). Shared by the status bar meter, the Downloads tab and
 * the Engine tab; listeners hear `change`, and once a second while bytes
 * are expected, so a download that stopped receiving can say so.
 */
import { events as defaultStream, type EventStream } from "../../api/event-stream";
import { isActive, isTaken, type DownloadProgress } from "./download-format";

export interface DownloadEntry {
  progress: DownloadProgress;
  /** When this download was first seen (ms since epoch). */
  since: number;
  /** When its last progress event came. */
  updated: number;
}

export class DownloadStore extends EventTarget {
  #entries = new Map<string, DownloadEntry>();
  #off?: () => void;
  #ticker?: ReturnType<typeof setInterval>;

  constructor(readonly stream: EventStream = defaultStream) {
    super();
  }

  /** Calls `listener` now and on every change (listening to the stream from the first call); returns the unsubscribe function. */
  subscribe(listener: (entries: DownloadEntry[]) => void): () => void {
    this.#off ??= this.stream.on("download", (d) => this.add(d as DownloadProgress));
    const onChange = () => listener(this.entries);
    this.addEventListener("change", onChange);
    onChange();
    return () => this.removeEventListener("change", onChange);
  }

  add(p: DownloadProgress) {
    if (!p || typeof p.id !== "string") return;
    if (p.phase === "removed") return this.remove(p.id);
    const old = this.#entries.get(p.id);
    // A finished download that starts again (reinstall) counts from now.
    const restarted = old && !isActive(old.progress) && isTaken(p);
    const now = Date.now();
    this.#entries.set(p.id, { progress: p, since: old && !restarted ? old.since : now, updated: now });
    this.#tick();
  }

  /** Forgets one download (taken off the list). */
  remove(id: string) {
    if (this.#entries.delete(id)) this.#tick();
  }

  /** Tells listeners, and keeps telling them each second while a download runs or counts down to its next try. */
  #tick = () => {
    const running = [...this.#entries.values()].some((e) => isTaken(e.progress));
    if (running && !this.#ticker) this.#ticker = setInterval(this.#tick, 1000);
    if (!running && this.#ticker) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
    this.dispatchEvent(new Event("change"));
  };

  /** Newest first. */
  get entries(): DownloadEntry[] {
    return [...this.#entries.values()].sort((a, b) => b.since - a.since);
  }
}

export const downloads = new DownloadStore();
