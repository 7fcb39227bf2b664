/** The Gallery's events on the app bus (relayed to the UI over SSE). */
declare module "../launcher/events/bus" {
  interface EventMap {
    /** A picture entered the index (made by the app, or found by a rescan of the outputs). */
    "gallery.added": { id: number };
    /** Pictures left the index (deleted, or their files are gone); `undo` names the deletion to undo. */
    "gallery.removed": { ids: number[]; undo?: string };
    /** Progress of a folder import (or rescan); `finished` once done, `error` if it stopped. */
    "gallery.import": { folder: string; done: number; total: number; added: number; removed: number; finished: boolean; error?: string };
  }
}

export {};
