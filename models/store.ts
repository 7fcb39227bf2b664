/**
 * The models noun's tables in the app database (the same SQLite file as the
 * queue, its own connection, opened by core/db.ts): model sets and the
 * sha256 cache (model_hashes: models/ owns it; the queue's infotext hashes
 * reach it through ModelHashes).
 */
import type { Database } from "bun:sqlite";
import { openDatabase } from "../core/db";
import type { LastUsed } from "./entry";
import type { HashCache } from "./hashes";
import type { UsedModels } from "./use";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS model_hashes (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL, sha256 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS model_sets (
  name TEXT PRIMARY KEY, model TEXT NOT NULL, vae TEXT, text_encoders TEXT NOT NULL, family TEXT, updated INTEGER NOT NULL);
`;

export interface ModelSetRecord {
  name: string;
  model: string;
  vae?: string;
  text_encoders: string[];
  family: string | null;
}

interface SetRow {
  name: string;
  model: string;
  vae: string | null;
  text_encoders: string;
  family: string | null;
}

const toSet = (r: SetRow): ModelSetRecord => ({
  name: r.name,
  model: r.model,
  ...(r.vae ? { vae: r.vae } : {}),
  text_encoders: JSON.parse(r.text_encoders) as string[],
  family: r.family,
});

export class ModelStore implements HashCache {
  readonly db: Database;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  cachedHash(path: string, size: number, mtime: number): string | null {
    return (
      this.db
        .query<{ sha256: string }, { path: string; size: number; mtime: number }>(
          "SELECT sha256 FROM model_hashes WHERE path = $path AND size = $size AND mtime = $mtime",
        )
        .get({ path, size, mtime })?.sha256 ?? null
    );
  }

  saveHash(path: string, size: number, mtime: number, sha256: string): void {
    this.db
      .query(
        "INSERT INTO model_hashes (path, size, mtime, sha256) VALUES ($path, $size, $mtime, $sha256) " +
          "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, sha256 = excluded.sha256",
      )
      .run({ path, size, mtime, sha256 });
  }

  sets(): ModelSetRecord[] {
    return this.db.query<SetRow, []>("SELECT * FROM model_sets ORDER BY name COLLATE NOCASE").all().map(toSet);
  }

  set(name: string): ModelSetRecord | null {
    const row = this.db.query<SetRow, { name: string }>("SELECT * FROM model_sets WHERE name = $name").get({ name });
    return row ? toSet(row) : null;
  }

  putSet(s: ModelSetRecord): ModelSetRecord {
    this.db
      .query(
        "INSERT INTO model_sets (name, model, vae, text_encoders, family, updated) VALUES ($name, $model, $vae, $te, $family, $updated) " +
          "ON CONFLICT(name) DO UPDATE SET model = excluded.model, vae = excluded.vae, text_encoders = excluded.text_encoders, " +
          "family = excluded.family, updated = excluded.updated",
      )
      .run({ name: s.name, model: s.model, vae: s.vae ?? null, te: JSON.stringify(s.text_encoders), family: s.family, updated: Date.now() });
    return this.set(s.name)!;
  }

  deleteSet(name: string): boolean {
    return this.db.query("DELETE FROM model_sets WHERE name = $name").run({ name }).changes > 0;
  }

  /** Models that were used, with the set they match, if any. */
  withSet(used: UsedModels | null): LastUsed | null {
    if (!used) return null;
    const same = this.sets().find(
      (s) => s.model === used.model && (s.vae ?? "") === (used.vae ?? "") && JSON.stringify(s.text_encoders) === JSON.stringify(used.text_encoders),
    );
    return same ? { ...used, set: same.name } : used;
  }
}
