/**
 * Recent sizes: the custom sizes (not a preset) used last, offered by the size
 * field. Read from the queue's history (`GET /api/queue/recent-sizes`), so
 * they survive restarts without a store of their own; a size queued from this
 * page joins at once. `customRecent` is the pure choice.
 */
import { imageApi, type Size } from "./image-api";

export type { Size };

/** How many recent sizes are offered. */
export const RECENT_SIZES = 6;

/** The first `count` sizes (most recent first) that are not presets, each once. */
export function customRecent(recent: readonly Size[], presets: readonly (readonly [number, number])[], count = RECENT_SIZES): Size[] {
  const seen = new Set(presets.map(([w, h]) => `${w}x${h}`));
  const out: Size[] = [];
  for (const s of recent) {
    const key = `${s.width}x${s.height}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
    if (out.length >= count) break;
  }
  return out;
}

export class RecentSizes extends EventTarget {
  sizes: Size[] = [];
  #loading?: Promise<void>;

  load(): Promise<void> {
    return (this.#loading ??= imageApi
      .recentSizes(30)
      .then((sizes) => {
        // Sizes queued while it loaded stay first.
        this.sizes = [...this.sizes, ...sizes.filter((s) => !this.sizes.some((m) => m.width === s.width && m.height === s.height))];
        this.dispatchEvent(new Event("change"));
      })
      .catch(() => {}));
  }

  /** A task was queued with this size. */
  used(width: number, height: number) {
    this.sizes = [{ width, height }, ...this.sizes.filter((s) => s.width !== width || s.height !== height)];
    this.dispatchEvent(new Event("change"));
  }
}

export const recentSizes = new RecentSizes();
