/**
 * The Gallery's search as SQL: the search box (FTS5), filters, and a cursor
 * `created:id` so paging stays stable while new pictures arrive (they sort
 * above the first page and never shift later pages). A pure function of the
 * filters; values travel as bound parameters only.
 */
import { ftsQuery } from "./search-query";

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
  /** Cursor from the previous page ("created:id"): only pictures older than it. */
  before?: string;
}

export class BadCursorError extends Error {
  override name = "BadCursorError";
}

export function parseCursor(before: string): { created: number; id: number } {
  const m = /^(\d+):(\d+)$/.exec(before);
  if (!m) throw new BadCursorError(`"${before}" is not a cursor this API gave out`);
  return { created: Number(m[1]), id: Number(m[2]) };
}

const COLUMNS = "p.id, p.created, p.width, p.height, p.format, substr(p.prompt, 1, 301) AS prompt, p.favourite";

/** The WHERE clause of a search and its parameters. */
export function searchWhere(f: SearchFilters): { where: string; params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  const match = f.q ? ftsQuery(f.q) : null;
  if (match) {
    where.push("p.id IN (SELECT rowid FROM pictures_fts WHERE pictures_fts MATCH $match)");
    params.match = match;
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
  if (f.from !== undefined) {
    where.push("p.created >= $from");
    params.from = f.from;
  }
  if (f.to !== undefined) {
    where.push("p.created < $to");
    params.to = f.to;
  }
  if (f.favourites) where.push("p.favourite = 1");
  if (f.folder) {
    where.push("p.root = $folder");
    params.folder = f.folder;
  }
  if (f.before) {
    const c = parseCursor(f.before);
    where.push("(p.created, p.id) < ($c_created, $c_id)");
    params.c_created = c.created;
    params.c_id = c.id;
  }
  return { where: where.length ? `WHERE ${where.join(" AND ")}` : "", params };
}

/**
 * A page, newest first. `offset` skips that many matches after the cursor:
 * the grid reads any window of a result below a fixed cursor (its "anchor"),
 * which new pictures never shift.
 */
export function buildSearch(f: SearchFilters, limit: number, offset = 0): { sql: string; params: Record<string, string | number> } {
  const { where, params } = searchWhere(f);
  return { sql: `SELECT ${COLUMNS} FROM pictures p ${where} ORDER BY p.created DESC, p.id DESC LIMIT $limit OFFSET $offset`, params: { ...params, limit, offset } };
}

/** How many matches fall on each day (local days: `tzOffsetMin` as Date.getTimezoneOffset gives it), newest first. */
export function buildDays(f: SearchFilters, tzOffsetMin: number): { sql: string; params: Record<string, string | number> } {
  const { where, params } = searchWhere(f);
  return {
    sql: `SELECT (p.created - $tz) / 86400000 AS day, COUNT(*) AS count FROM pictures p ${where} GROUP BY day ORDER BY day DESC`,
    params: { ...params, tz: tzOffsetMin * 60_000 },
  };
}
