/**
 * The Gallery kept live, apart from its element: pictures added elsewhere
 * (shown at once while the grid is at its top, else counted for the "N new ↑"
 * button), pictures removed elsewhere, and a folder import's progress (the
 * facets are read again when it finishes). A Lit reactive controller over
 * the `gallery.*` events.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { events } from "../../api/event-stream";
import type { ImportProgress } from "./ed-gallery-status";
import type { GalleryResults } from "./gallery-results";

export interface GalleryLiveHost {
  /** Whether a new picture may show at once (the grid is at its top, no picture is open). */
  atTop(): boolean;
  /** An import finished: its folder's models, LoRAs, … join the filters. */
  imported(): void;
}

export class GalleryLive implements ReactiveController {
  /** Pictures added while the grid was scrolled down. */
  newPictures = 0;
  progress: ImportProgress | null = null;
  #offs: (() => void)[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly results: GalleryResults,
    private readonly on: GalleryLiveHost,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.#offs = [
      events.on("gallery.added", () => this.#onAdded()),
      events.on("gallery.removed", () => void this.results.refresh()),
      events.on("gallery.import", (d) => this.#onImportProgress(d as ImportProgress)),
    ];
  }

  hostDisconnected() {
    for (const off of this.#offs) off();
    this.#offs = [];
  }

  /** The "N new ↑" button: the new pictures show. */
  showNew() {
    this.newPictures = 0;
    void this.results.refresh();
    this.host.requestUpdate();
  }

  /** An import this page started; its progress events may have come in before the answer: never paint over them. */
  started(folder: string) {
    if (this.progress?.folder === folder) return;
    this.progress = { folder, done: 0, total: 0, added: 0, finished: false };
    this.host.requestUpdate();
  }

  #onAdded() {
    if (this.on.atTop()) void this.results.refresh();
    else {
      this.newPictures++;
      this.host.requestUpdate();
    }
  }

  #onImportProgress(p: ImportProgress) {
    this.progress = p;
    this.host.requestUpdate();
    if (p.finished) {
      void this.results.refresh();
      this.on.imported();
    }
  }
}
