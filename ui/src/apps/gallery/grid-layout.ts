/**
 * The grid's layout, computed from the day counts alone (no pictures
 * loaded): for each day a heading, then rows of `columns` cells. Pure, so
 * the virtual scroller can place any of 100,000 pictures and find what is on
 * screen with a binary search.
 */
export interface GridRow {
  kind: "day" | "cells";
  top: number;
  height: number;
  /** Index (in the whole result, newest first) of the row's first picture. */
  first: number;
  /** Pictures in this row (0 for a day heading). */
  count: number;
  /** The day heading's text. */
  label?: string;
}

export interface GridLayout {
  rows: GridRow[];
  height: number;
  total: number;
}

export const DAY_HEADING = 36;

export function dayLabel(day: number, today = Math.floor((Date.now() - new Date().getTimezoneOffset() * 60_000) / 86_400_000)): string {
  if (day === today) return "Today";
  if (day === today - 1) return "Yesterday";
  const date = new Date(day * 86_400_000);
  return date.toLocaleDateString(undefined, { weekday: "short", year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}

export function layoutGrid(
  days: { day: number; count: number }[],
  columns: number,
  cell: number,
  gap: number,
  label: (day: number) => string = dayLabel,
): GridLayout {
  const rows: GridRow[] = [];
  let top = 0;
  let first = 0;
  for (const d of days) {
    rows.push({ kind: "day", top, height: DAY_HEADING, first, count: 0, label: `${label(d.day)} · ${d.count}` });
    top += DAY_HEADING;
    for (let i = 0; i < d.count; i += columns) {
      const count = Math.min(columns, d.count - i);
      rows.push({ kind: "cells", top, height: cell + gap, first: first + i, count });
      top += cell + gap;
    }
    first += d.count;
  }
  return { rows, height: top, total: first };
}

/** The rows that overlap [top, bottom). */
export function visibleRows(layout: GridLayout, top: number, bottom: number): GridRow[] {
  const rows = layout.rows;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.top + rows[mid]!.height <= top) lo = mid + 1;
    else hi = mid;
  }
  const out: GridRow[] = [];
  for (let i = lo; i < rows.length && rows[i]!.top < bottom; i++) out.push(rows[i]!);
  return out;
}

/** The row holding picture `index`, and its column. */
export function cellOf(layout: GridLayout, index: number): { row: GridRow; column: number } | null {
  const rows = layout.rows;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (rows[mid]!.first <= index) lo = mid;
    else hi = mid - 1;
  }
  for (let i = lo; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.kind === "cells" && index >= r.first && index < r.first + r.count) return { row: r, column: index - r.first };
    if (r.first > index) break;
  }
  return null;
}

/** The picture above/below `index` (same column where the row has one), for arrow keys. */
export function verticalNeighbour(layout: GridLayout, index: number, direction: 1 | -1): number {
  const here = cellOf(layout, index);
  if (!here) return index;
  const rows = layout.rows.filter((r) => r.kind === "cells");
  const at = rows.indexOf(here.row);
  const next = rows[at + direction];
  if (!next) return index;
  return next.first + Math.min(here.column, next.count - 1);
}
