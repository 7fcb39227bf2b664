/**
 * Download progress: the `download` bus event (engine builds, models, sources), and a meter that
 * throttles it (about 5 a second) and smooths the rate for the ETA.
 */
import type { EventBus } from "../core/events/bus";

/** Who a download is for: the engine build, a model file, or source code to build the engine. */
export type DownloadKind = "engine" | "model" | "source";

export interface DownloadIdentity {
  /** Unique key of the download (the asset name for engine builds). */
  id: string;
  kind: DownloadKind;
  /** What the user sees: a file or build name. */
  asset: string;
}

export interface DownloadProgress extends DownloadIdentity {
  bytes: number;
  /** undefined when the server does not say and the release did not either. */
  total?: number;
  /** Bytes per second, smoothed. */
  rate: number;
  /** Seconds left; undefined while the rate or total is unknown. */
  eta?: number;
  /**
   * starting: asked for, no answer yet; retrying: a try failed (error says why in words), the next
   * one starts in retryInMs; done: downloaded and verified; installing/installed: unpacking into
   * engines/ (published by the build provider); removed: taken off the list by the user.
   */
  phase: "starting" | "downloading" | "retrying" | "done" | "installing" | "installed" | "failed" | "cancelled" | "removed";
  /** Why it failed (phase failed), or why the last try failed (phase retrying), in words. */
  error?: { code: string; message: string };
  /** While retrying: the try that comes next (2 for the first retry) of how many in all. */
  attempt?: number;
  attempts?: number;
  /** While retrying: milliseconds from this event until the next try. */
  retryInMs?: number;
  /** Where the bytes come from (a Hugging Face repository or a host), when a file has several sources. */
  source?: string;
}

declare module "../core/events/bus" {
  interface EventMap {
    download: DownloadProgress;
  }
}

const RATE_HALF_LIFE_MS = 2000;

export class ProgressMeter {
  #lastEmit = 0;
  #lastBytes = 0;
  #lastTime = 0;
  #rate = 0;
  #trailing: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly identity: DownloadIdentity,
    readonly emit: (p: DownloadProgress) => void,
    readonly intervalMs = 200,
    readonly now: () => number = () => performance.now(),
  ) {}

  /** A new attempt starts at `bytes` (resume): the rate restarts from there. */
  restart(bytes: number) {
    this.#lastBytes = bytes;
    this.#lastTime = this.now();
  }

  /** Asked for: nothing has come back yet. */
  starting(total: number | undefined) {
    this.emit({ ...this.identity, bytes: 0, total, rate: 0, phase: "starting" });
  }

  /** A try failed for `error`; try `attempt` of `attempts` starts in `inMs`. */
  retrying(bytes: number, total: number | undefined, error: { code: string; message: string }, attempt: number, attempts: number, inMs: number) {
    clearTimeout(this.#trailing);
    this.emit({ ...this.identity, bytes, total, rate: 0, phase: "retrying", error, attempt, attempts, retryInMs: inMs });
  }

  /** The end of a download that did not finish: failed (with why) or cancelled. */
  stop(bytes: number, total: number | undefined, phase: "failed" | "cancelled", error?: { code: string; message: string }) {
    clearTimeout(this.#trailing);
    this.emit({ ...this.identity, bytes, total, rate: 0, phase, ...(error ? { error } : {}) });
  }

  update(bytes: number, total: number | undefined, force = false, phase: DownloadProgress["phase"] = "downloading") {
    const t = this.now();
    const dt = t - this.#lastTime;
    if (dt > 0) {
      const instant = ((bytes - this.#lastBytes) * 1000) / dt;
      const w = 1 - Math.pow(0.5, dt / RATE_HALF_LIFE_MS);
      this.#rate = this.#rate === 0 ? instant : this.#rate + w * (instant - this.#rate);
      this.#lastBytes = bytes;
      this.#lastTime = t;
    }
    clearTimeout(this.#trailing);
    if (!force && t - this.#lastEmit < this.intervalMs) {
      // Trailing update: when data stops right after a throttled one, show where it stopped.
      this.#trailing = setTimeout(() => this.update(bytes, total, true, phase), this.intervalMs - (t - this.#lastEmit));
      this.#trailing.unref?.();
      return;
    }
    this.#lastEmit = t;
    const rate = Math.max(0, Math.round(this.#rate));
    const eta = total !== undefined && rate > 0 ? Math.max(0, (total - bytes) / rate) : undefined;
    this.emit({ ...this.identity, bytes, total, rate, eta, phase });
  }
}

export function busEmitter(bus: EventBus | undefined, also?: (p: DownloadProgress) => void): (p: DownloadProgress) => void {
  return (p) => {
    bus?.publish("download", p);
    also?.(p);
  };
}
