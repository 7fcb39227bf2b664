/**
 * The Gallery's keys, as commands (pure, so the mapping is one table):
 * in the viewer ← → step, Escape closes, Delete deletes, F favourites; in
 * the grid the arrows move the focus (↑ ↓ by row, keeping the column across
 * day headings), Enter opens, Escape clears the selection.
 */
import type { GalleryAction } from "./ed-gallery-viewer";
import { verticalNeighbour, type GridLayout } from "./grid-layout";

export const VIEWER_KEYS: Record<string, GalleryAction> = {
  ArrowLeft: "prev",
  ArrowRight: "next",
  Escape: "close",
  Delete: "delete",
  f: "favourite",
  F: "favourite",
};

export type GridCommand = { kind: "move"; to: number } | { kind: "open" | "clear" | "delete" | "favourite" };

export function gridCommand(key: string, focus: number, total: number, layout: GridLayout): GridCommand | null {
  if (key === "ArrowRight") return { kind: "move", to: Math.min(total - 1, focus + 1) };
  if (key === "ArrowLeft") return { kind: "move", to: Math.max(0, focus - 1) };
  if (key === "ArrowDown" || key === "ArrowUp") return { kind: "move", to: focus < 0 ? 0 : verticalNeighbour(layout, focus, key === "ArrowDown" ? 1 : -1) };
  if (key === "Home" && total > 0) return { kind: "move", to: 0 };
  if (key === "End" && total > 0) return { kind: "move", to: total - 1 };
  if (key === "Enter") return { kind: "open" };
  if (key === "Escape") return { kind: "clear" };
  if (key === "Delete") return { kind: "delete" };
  if (key === "f" || key === "F") return { kind: "favourite" };
  return null;
}
