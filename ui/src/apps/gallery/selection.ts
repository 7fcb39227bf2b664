/**
 * Multi-select in the grid, as file managers do it: Ctrl/⌘-click toggles one
 * picture, Shift-click or Shift+arrow selects the range from the anchor.
 * Pure functions over ids; `idAt` reads the loaded pictures.
 */
export function toggled(selected: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

export function withRange(selected: ReadonlySet<number>, anchor: number, index: number, idAt: (i: number) => number | undefined): Set<number> {
  const from = Math.min(anchor < 0 ? index : anchor, index);
  const to = Math.max(anchor < 0 ? index : anchor, index);
  const next = new Set(selected);
  for (let i = from; i <= to; i++) {
    const id = idAt(i);
    if (id !== undefined) next.add(id);
  }
  return next;
}
