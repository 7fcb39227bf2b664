/**
 * The Gallery's search as SQL: the search box (FTS5), filters, and a cursor.
 * Picture ids grow with the picture's time (index-store.ts: created ms ×
 * 1000 + n), so "newest first" is rowid order: a page walks the FTS5
 * doclist or the table backwards and stops after `limit` rows, however
 * common the word. The cursor is the last id seen; new pictures get higher
 * ids, so they never shift later pages. A pure function of the filters;
 * values travel as bound parameters only.
 */
import { ftsQuery, tagToken } from "./search-query";
import { NamedError } from "../core/server/errors";

export interface SearchFilters {
  q?: string;
  model?: string;
  lora?: string;
  sampler?: string;
  /** "WIDTHxHEIGHT". */
  size?: string;
  /** Epoch ms bounds of `created`: from ≤ created < to. */
  from?: number;
  to?: number;
  favourites?: boolean;
  /** The root folder the picture was found under. */
  folder?: string;
  /** Only videos, or only pictures (both when absent). */
  kind?: "picture" | "video";
  /** Cursor from the previous page (an id): only pictures older than it. */
  before?: string;
}

export class BadCursorError extends NamedError {
  override name = "BadCursorError";
  override readonly code = "bad_request";
  override readonly status = 400;
}

/** Ids per millisecond of `created` (see index-store.ts). */
export const IDS_PER_MS = 1000;

export function parseCursor(before: string): number {
  if (!/^\d{1,17}$/.test(before)) throw new BadCursorError(`"${before}" is not a cursor this API gave out`);
  return Number(before);
}

const COLUMNS = "p.id, p.created, p.width, p.height, p.format, substr(p.prompt, 1, 301) AS prompt, p.favourite, p.video";

/** FROM, WHERE and the ordering column of a search, and its parameters. */
export function searchFrom(f: SearchFilters): { from: string; where: string; order: string; params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  const words = f.q ? ftsQuery(f.q) : null;
  // Filters join the words as tag tokens, so FTS5 intersects them (they are checked on the row too).
  const tags = words ? [f.model && tagToken("m", f.model), f.lora && tagToken("l", f.lora), f.sampler && tagToken("s", f.sampler)].filter(Boolean) : [];
  const match = words && [words, ...tags.map((t) => `tags : ${t}`)].join(" AND ");
  // With words to find, the FTS5 table leads (its rowid order is newest first); else the table itself.
  const from = match ? "pictures_fts f JOIN pictures p ON p.id = f.rowid" : "pictures p";
  const order = match ? "f.rowid" : "p.id";
  if (match) {
    where.push("pictures_fts MATCH $match");
    params.match = match;
  }
  if (f.before) {
    where.push(`${order} < $before`);
    params.before = parseCursor(f.before);
  }
  if (f.from !== undefined) {
    where.push(`${order} >= $from`);
    params.from = Math.max(0, f.from) * IDS_PER_MS;
  }
  if (f.to !== undefined) {
    where.push(`${order} < $to`);
    params.to = Math.max(0, f.to) * IDS_PER_MS;
  }
  if (f.model) {
    where.push("p.model = $model");
    params.model = f.model;
  }
  if (f.lora) {
    where.push("p.id IN (SELECT picture_id FROM picture_loras WHERE name = $lora)");
    params.lora = f.lora;
  }
  if (f.sampler) {
    where.push("p.sampler = $sampler");
    params.sampler = f.sampler;
  }
  const size = f.size ? /^(\d+)x(\d+)$/.exec(f.size) : null;
  if (size) {
    where.push("p.width = $width AND p.height = $height");
    params.width = Number(size[1]);
    params.height = Number(size[2]);
  }
  if (f.favourites) where.push("p.favourite = 1");
  if (f.kind) where.push(f.kind === "video" ? "p.video IS NOT NULL" : "p.video IS NULL");
  if (f.folder) {
    where.push("p.root = $folder");
    params.folder = f.folder;
  }
  return { from, where: where.length ? `WHERE ${where.join(" AND ")}` : "", order, params };
}

/**
 * A page, newest first. `offset` skips that many matches after the cursor:
 * the grid reads any window of a result below a fixed cursor (its "anchor"),
 * which new pictures never shift.
 */
export function buildSearch(f: SearchFilters, limit: number, offset = 0): { sql: string; params: Record<string, string | number> } {
  const { from, where, order, params } = searchFrom(f);
  return { sql: `SELECT ${COLUMNS} FROM ${from} ${where} ORDER BY ${order} DESC LIMIT $limit OFFSET $offset`, params: { ...params, limit, offset } };
}

/** Ids per quarter hour: the buckets day counts are made of (every time zone is a whole number of quarter hours from UTC). */
export const IDS_PER_BUCKET = 15 * 60_000 * IDS_PER_MS;

/**
 * How many matches fall in each quarter hour (UTC), newest first; the index
 * adds them up into local days. The bucket comes from the id (its time): an
 * index on it (index-store.ts) counts every picture without reading a row or
 * sorting, and a search reads no picture row where its filters need none.
 */
export function buildBuckets(f: SearchFilters): { sql: string; params: Record<string, string | number> } {
  const { from, where, order, params } = searchFrom(f);
  const onlyWords = order === "f.rowid" && !/\bp\./.test(where);
  const source = onlyWords ? "pictures_fts f" : from;
  return { sql: `SELECT ${order} / ${IDS_PER_BUCKET} AS bucket, COUNT(*) AS count FROM ${source} ${where} GROUP BY bucket ORDER BY bucket DESC`, params };
}
