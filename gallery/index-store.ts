/**
 * The Gallery's index: one SQLite row per picture file, an FTS5 table over
 * prompt and negative prompt, and a LoRA table for the LoRA filter. A
 * picture's id is its time (created ms × 1000, plus n for pictures of the
 * same millisecond), so rowid order is newest-first order and a search stops
 * after one page however many pictures match (search-sql.ts). It lives
 * in the cache (derived from the files; a rescan rebuilds it). What the user
 * chose and the files cannot hold (favourites, imported folders, deletions
 * to undo) is kept in the app database, attached as `app`, by path, so it
 * survives a rebuild.
 */
import type { Database } from "bun:sqlite";
import { openDatabase } from "../core/db";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { modelLabel, toDetail, toSummary, type PictureDetail, type PictureEntry, type PictureRow, type PictureSummary } from "./picture-row";
import { buildBuckets, buildSearch, IDS_PER_BUCKET, IDS_PER_MS, type SearchFilters } from "./search-sql";
import { segmentText, tagToken } from "./search-query";

/** Contentless full-text search (rows are deleted by rowid) with 2- and 3-character prefix indexes. */
const FTS_OPTIONS = "content='', contentless_delete=1, prefix='2 3', tokenize='unicode61 remove_diacritics 2'";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS pictures (
  id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, root TEXT NOT NULL, file_size INTEGER NOT NULL, mtime INTEGER NOT NULL,
  created INTEGER NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, format TEXT NOT NULL, source TEXT NOT NULL,
  prompt TEXT NOT NULL, negative TEXT NOT NULL, model TEXT, sampler TEXT, seed INTEGER, loras TEXT NOT NULL, settings TEXT NOT NULL,
  favourite INTEGER NOT NULL DEFAULT 0, video TEXT);
CREATE INDEX IF NOT EXISTS pictures_by_model ON pictures(model);
CREATE INDEX IF NOT EXISTS pictures_by_sampler ON pictures(sampler);
CREATE INDEX IF NOT EXISTS pictures_by_root ON pictures(root);
CREATE INDEX IF NOT EXISTS pictures_by_bucket ON pictures(id / ${IDS_PER_BUCKET});
CREATE TABLE IF NOT EXISTS picture_loras (name TEXT NOT NULL, picture_id INTEGER NOT NULL, PRIMARY KEY (name, picture_id)) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS pictures_fts USING fts5(prompt, negative, tags, ${FTS_OPTIONS});
CREATE TABLE IF NOT EXISTS app.gallery_favourites (path TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS app.gallery_folders (path TEXT PRIMARY KEY, added INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS app.gallery_trash (token TEXT PRIMARY KEY, items TEXT NOT NULL, created INTEGER NOT NULL);
`;

export interface Facets {
  models: string[];
  loras: string[];
  samplers: string[];
  sizes: string[];
  folders: string[];
}

export class GalleryIndex {
  readonly db: Database;
  #insert;
  #byPath;
  #exists;

  /** `file`: the index (":memory:" in tests); `appDatabase`: where favourites and folders live. */
  constructor(file: string, appDatabase: string) {
    if (appDatabase !== ":memory:") mkdirSync(dirname(appDatabase), { recursive: true });
    this.db = openDatabase(file);
    this.db.query("ATTACH DATABASE $file AS app").run({ file: appDatabase });
    this.db.exec(SCHEMA);
    // An index from before videos (issue 22): the column added; the start's rescan brings the videos in.
    const has = this.db.query<{ name: string }, []>("PRAGMA table_info(pictures)").all();
    if (!has.some((c) => c.name === "video")) this.db.exec("ALTER TABLE pictures ADD COLUMN video TEXT");
    const columns = "id, path, root, file_size, mtime, created, width, height, format, source, prompt, negative, model, sampler, seed, loras, settings, video";
    const values = columns.split(", ").map((column) => `$${column}`).join(", "); // each column's named parameter
    this.#insert = this.db.query(
      `INSERT INTO pictures (${columns}, favourite)
       VALUES (${values},
         EXISTS (SELECT 1 FROM app.gallery_favourites WHERE path = $path)) RETURNING id`,
    );
    this.#byPath = this.db.query<{ id: number; file_size: number; mtime: number }, { path: string }>(
      "SELECT id, file_size, mtime FROM pictures WHERE path = $path",
    );
    this.#exists = this.db.query<{ id: number }, { id: number }>("SELECT id FROM pictures WHERE id = $id");
  }

  close(): void {
    this.db.close();
  }

  /** Adds or replaces the row for a file; returns its id. */
  put(e: PictureEntry, created = e.mtime): number {
    return this.db.transaction(() => {
      const old = this.#byPath.get({ path: e.path });
      if (old) this.#remove(old.id);
      let id = Math.max(0, Math.round(created)) * IDS_PER_MS;
      while (this.#exists.get({ id })) id++;
      const s = e.settings;
      const loras = (s.loras ?? []).map((l) => modelLabel(l.name)).filter((n): n is string => !!n);
      const prompt = s.prompt ?? "";
      const negative = s.negative_prompt ?? "";
      const row = this.#insert.get({
        id,
        path: e.path,
        root: e.root,
        file_size: e.fileSize,
        mtime: e.mtime,
        created,
        width: e.width,
        height: e.height,
        format: e.format,
        source: e.source,
        prompt,
        negative,
        model: modelLabel(s.model),
        sampler: s.sampler ?? null,
        seed: s.seed ?? null,
        loras: JSON.stringify(loras),
        settings: JSON.stringify(s),
        video: e.video ? JSON.stringify(e.video) : null,
      }) as { id: number };
      const model = modelLabel(s.model);
      const tags = [model && tagToken("m", model), s.sampler && tagToken("s", s.sampler), ...loras.map((l) => tagToken("l", l))].filter(Boolean).join(" ");
      this.db
        .query("INSERT INTO pictures_fts (rowid, prompt, negative, tags) VALUES ($id, $p, $n, $t)")
        .run({ id: row.id, p: segmentText(prompt), n: segmentText(negative), t: tags });
      for (const name of new Set(loras)) this.db.query("INSERT OR IGNORE INTO picture_loras (name, picture_id) VALUES ($name, $id)").run({ name, id: row.id });
      return row.id;
    })();
  }

  #remove(id: number) {
    this.db.query("DELETE FROM pictures WHERE id = $id").run({ id });
    this.db.query("DELETE FROM pictures_fts WHERE rowid = $id").run({ id });
    this.db.query("DELETE FROM picture_loras WHERE picture_id = $id").run({ id });
  }

  remove(id: number): void {
    this.db.transaction(() => this.#remove(id))();
  }

  removePath(path: string): void {
    const old = this.#byPath.get({ path });
    if (old) this.remove(old.id);
  }

  /** Size and mtime the index has for a path (to skip unchanged files in a rescan). */
  known(path: string): { id: number; file_size: number; mtime: number } | null {
    return this.#byPath.get({ path });
  }

  /** Every indexed path under a root. */
  pathsUnder(root: string): string[] {
    return this.db.query<{ path: string }, { root: string }>("SELECT path FROM pictures WHERE root = $root").all({ root }).map((r) => r.path);
  }

  row(id: number): PictureRow | null {
    return this.db.query<PictureRow, { id: number }>("SELECT * FROM pictures WHERE id = $id").get({ id });
  }

  get(id: number): PictureDetail | null {
    const row = this.row(id);
    return row ? toDetail(row) : null;
  }

  count(): number {
    return this.db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM pictures").get()!.n;
  }

  /** A page of pictures, newest first, after the cursor `before` ("created:id"). */
  search(filters: SearchFilters, limit = 100, offset = 0): { items: PictureSummary[]; next: string | null } {
    const { sql, params } = buildSearch(filters, limit, offset);
    const rows = this.db.query<PictureRow, Record<string, string | number>>(sql).all(params);
    const last = rows.length === limit ? rows[rows.length - 1] : undefined;
    return { items: rows.map(toSummary), next: last ? String(last.id) : null };
  }

  /** Matches per local day (day = days since the epoch, local time), newest first. */
  days(filters: SearchFilters, tzOffsetMin = 0): { day: number; count: number }[] {
    const { sql, params } = buildBuckets(filters);
    const days: { day: number; count: number }[] = [];
    const msPerBucket = IDS_PER_BUCKET / IDS_PER_MS;
    for (const { bucket, count } of this.db.query<{ bucket: number; count: number }, Record<string, string | number>>(sql).all(params)) {
      const day = Math.floor((bucket * msPerBucket - tzOffsetMin * 60_000) / 86_400_000);
      const last = days[days.length - 1];
      if (last?.day === day) last.count += count;
      else days.push({ day, count });
    }
    return days;
  }

  setFavourite(id: number, favourite: boolean): boolean {
    const row = this.row(id);
    if (!row) return false;
    this.db.transaction(() => {
      this.db.query("UPDATE pictures SET favourite = $f WHERE id = $id").run({ id, f: favourite ? 1 : 0 });
      if (favourite) this.db.query("INSERT OR IGNORE INTO app.gallery_favourites (path) VALUES ($path)").run({ path: row.path });
      else this.db.query("DELETE FROM app.gallery_favourites WHERE path = $path").run({ path: row.path });
    })();
    return true;
  }

  folders(): string[] {
    return this.db.query<{ path: string }, []>("SELECT path FROM app.gallery_folders ORDER BY added").all().map((r) => r.path);
  }

  addFolder(path: string): void {
    this.db.query("INSERT OR IGNORE INTO app.gallery_folders (path, added) VALUES ($path, $now)").run({ path, now: Date.now() });
  }

  saveTrash(token: string, items: unknown): void {
    this.db
      .query("INSERT INTO app.gallery_trash (token, items, created) VALUES ($token, $items, $now)")
      .run({ token, items: JSON.stringify(items), now: Date.now() });
  }

  /** The deletion recorded under `token`, removed from the record (undo happens once). */
  takeTrash<T>(token: string): T | null {
    const row = this.db.query<{ items: string }, { token: string }>("DELETE FROM app.gallery_trash WHERE token = $token RETURNING items").get({ token });
    return row ? (JSON.parse(row.items) as T) : null;
  }

  facets(): Facets {
    const list = (sql: string) => this.db.query<{ v: string }, []>(sql).all().map((r) => r.v);
    return {
      models: list("SELECT model AS v FROM pictures WHERE model IS NOT NULL GROUP BY model ORDER BY COUNT(*) DESC LIMIT 500"),
      loras: list("SELECT name AS v FROM picture_loras GROUP BY name ORDER BY COUNT(*) DESC LIMIT 500"),
      samplers: list("SELECT sampler AS v FROM pictures WHERE sampler IS NOT NULL GROUP BY sampler ORDER BY COUNT(*) DESC"),
      sizes: list("SELECT width || 'x' || height AS v FROM pictures GROUP BY width, height ORDER BY COUNT(*) DESC LIMIT 50"),
      folders: list("SELECT root AS v FROM pictures GROUP BY root ORDER BY root"),
    };
  }
}
