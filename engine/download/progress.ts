/**
 * Download progress: the `engine.download` bus event, and a meter that
 * throttles it (about 5 a second) and smooths the rate for the ETA.
 */
import type { EventBus } from "../../launcher/events/bus";

export interface DownloadProgress {
  asset: string;
  bytes: number;
  /** undefined when the server does not say and the release did not either. */
  total?: number;
  /** Bytes per second, smoothed. */
  rate: number;
  /** Seconds left; undefined while the rate or total is unknown. */
  eta?: number;
  /** done: downloaded and verified; installing/installed: unpacking into engines/ (published by the build provider). */
  phase: "downloading" | "done" | "installing" | "installed" | "failed";
}

declare module "../../launcher/events/bus" {
  interface EventMap {
    "engine.download": DownloadProgress;
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
    readonly asset: string,
    readonly emit: (p: DownloadProgress) => void,
    readonly intervalMs = 200,
    readonly now: () => number = () => performance.now(),
  ) {}

  /** A new attempt starts at `bytes` (resume): the rate restarts from there. */
  restart(bytes: number) {
    this.#lastBytes = bytes;
    this.#lastTime = this.now();
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
    this.emit({ asset: this.asset, bytes, total, rate, eta, phase });
  }
}

export function busEmitter(bus: EventBus | undefined, also?: (p: DownloadProgress) => void): (p: DownloadProgress) => void {
  return (p) => {
    bus?.publish("engine.download", p);
    also?.(p);
  };
}
