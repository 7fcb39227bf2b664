/**
 * The Gallery's result set on the client: the day counts of the current
 * search (enough to lay out the whole grid) and the pictures, fetched in
 * chunks as they scroll into view. Every window is read below a fixed
 * cursor (the "anchor": the newest picture when the search ran), so new
 * pictures never shift what is already shown; `refresh()` re-anchors.
 */
import { galleryApi, type Filters, type PictureSummary } from "./gallery-api";

export const CHUNK = 200;

export class GalleryResults extends EventTarget {
  filters: Filters = {};
  days: { day: number; count: number }[] = [];
  total = 0;
  loading = false;
  error = "";
  #anchor: string | undefined;
  #chunks = new Map<number, PictureSummary[] | Promise<void>>();
  #generation = 0;

  #changed() {
    this.dispatchEvent(new Event("change"));
  }

  /** Runs the search for `filters` from the newest picture. */
  async refresh(filters: Filters = this.filters): Promise<void> {
    const generation = ++this.#generation;
    this.filters = filters;
    this.loading = true;
    this.#changed();
    try {
      const first = await galleryApi.page(filters, { limit: CHUNK });
      const newest = first.items[0];
      const anchor = newest ? String(newest.id + 1) : undefined;
      const { days } = await galleryApi.days(filters, anchor);
      if (generation !== this.#generation) return;
      this.#anchor = anchor;
      this.days = days;
      this.total = days.reduce((n, d) => n + d.count, 0);
      this.#chunks = new Map([[0, first.items]]);
      this.error = "";
    } catch (err) {
      if (generation === this.#generation) this.error = (err as Error).message;
    } finally {
      if (generation === this.#generation) {
        this.loading = false;
        this.#changed();
      }
    }
  }

  at(index: number): PictureSummary | undefined {
    const chunk = this.#chunks.get(Math.floor(index / CHUNK));
    return Array.isArray(chunk) ? chunk[index % CHUNK] : undefined;
  }

  /** The index of a loaded picture, or -1. */
  indexOf(id: number): number {
    for (const [n, chunk] of this.#chunks) {
      if (!Array.isArray(chunk)) continue;
      const i = chunk.findIndex((p) => p.id === id);
      if (i >= 0) return n * CHUNK + i;
    }
    return -1;
  }

  /** Loads the chunks covering pictures [from, to). */
  ensure(from: number, to: number): void {
    const generation = this.#generation;
    for (let n = Math.floor(Math.max(0, from) / CHUNK); n * CHUNK < Math.min(to, this.total); n++) {
      if (this.#chunks.has(n)) continue;
      const load = galleryApi
        .page(this.filters, { before: this.#anchor, offset: n * CHUNK, limit: CHUNK })
        .then((page) => {
          if (generation !== this.#generation) return;
          this.#chunks.set(n, page.items);
          this.#changed();
        })
        .catch(() => void this.#chunks.delete(n));
      this.#chunks.set(n, load);
    }
  }

  /** Updates one loaded picture in place (favourite). */
  update(picture: PictureSummary): void {
    const i = this.indexOf(picture.id);
    const chunk = i >= 0 ? this.#chunks.get(Math.floor(i / CHUNK)) : undefined;
    if (Array.isArray(chunk)) {
      chunk[i % CHUNK] = { ...chunk[i % CHUNK]!, ...picture };
      this.#changed();
    }
  }
}
