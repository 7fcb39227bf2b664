/**
 * The one way to open the app's SQLite files: the folder is made, and every
 * connection gets the same pragmas (WAL, so readers never wait for a writer
 * and a committed write survives a crash of the launcher; NORMAL sync, safe
 * under WAL; a busy timeout, as several stores share one file on their own
 * connections). Each table has one owner, which creates it.
 */
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

export function openDatabase(file: string): Database {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { create: true, strict: true });
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
  return db;
}
