/** The Gallery's events on the app bus (relayed to the UI over SSE). */

/**
 * Progress of a folder import (or rescan); `finished` once done, `error` if it stopped;
 * `skipped` files were left out (the first ones in `problems`, with the reason).
 */
export interface GalleryImportProgress {
  folder: string;
  done: number;
  total: number;
  added: number;
  removed: number;
  skipped: number;
  problems: { path: string; reason: string }[];
  finished: boolean;
  error?: string;
}

declare module "../core/events/bus" {
  interface EventMap {
    /** A picture entered the index (made by the app, or found by a rescan of the outputs). */
    "gallery.added": { id: number };
    /** Pictures left the index (deleted, or their files are gone); `undo` names the deletion to undo. */
    "gallery.removed": { ids: number[]; undo?: string };
    /** Progress of a folder import (or rescan): GalleryImportProgress. */
    "gallery.import": GalleryImportProgress;
  }
}
