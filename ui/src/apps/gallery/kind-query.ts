/**
 * `kind:video` (or `kind:picture`) typed in the Gallery's search box: it
 * becomes the kind filter and leaves the search text, as the kind select
 * would. Pure.
 */
export type GalleryKind = "picture" | "video";

const KIND = /(^|\s)kind:(pictures?|videos?|images?)(?=\s|$)/i;

export function kindFromQuery(q: string): { kind?: GalleryKind; q: string } {
  const m = KIND.exec(q);
  if (!m) return { q };
  const kind: GalleryKind = m[2]!.toLowerCase().startsWith("video") ? "video" : "picture";
  return { kind, q: (q.slice(0, m.index) + q.slice(m.index + m[0].length)).replace(/\s+/g, " ").trim() };
}

/** The kind select's value as a filter ("" for both). */
export const kindOf = (value: string): GalleryKind | undefined => (value === "video" || value === "picture" ? value : undefined);
