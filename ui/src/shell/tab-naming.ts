/** Names and ids for new tabs; pure so they are easy to reason about. */

/** "Image 1", "Image 2", …: the lowest number no open tab of this app uses. */
export function instanceTitle(base: string, openTitles: Array<string | undefined>): string {
  const used = new Set(openTitles.map((t) => (t?.startsWith(`${base} `) ? Number(t.slice(base.length + 1)) : NaN)));
  let n = 1;
  while (used.has(n)) n++;
  return `${base} ${n}`;
}

/** Short, unique enough for one user's tabs, and within ui-state's 64-character limit. */
export function newTabId(now = Date.now(), random = Math.random()): string {
  return `t${now.toString(36)}${Math.floor(random * 36 ** 4).toString(36).padStart(4, "0")}`;
}
