/**
 * Where a model file downloaded through the app came from, by its sha256:
 * files fetched from Hugging Face (any repository, the catalogue's or not)
 * are remembered as their path under the Hugging Face host (`/org/repo/
 * resolve/main/file`), so another computer working for this one (workers/)
 * can be asked to download the same file from its own Hugging Face host. The
 * table `model_sources` in the app database is this file's; the path is put
 * back on the Hugging Face host configured when it is asked for (a mirror set
 * since included), as the starter catalogue's `{hf}` is.
 */
import type { Database } from "bun:sqlite";
import { openDatabase } from "../../core/db";

const SCHEMA = "CREATE TABLE IF NOT EXISTS model_sources (sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, at INTEGER NOT NULL);";

const base = (hf: string) => hf.replace(/\/+$/, "");

/** The path of `url` under the Hugging Face host `hf` (its query and fragment dropped), or null when it is not there. Pure. */
export function pathUnder(url: string, hf: string): string | null {
  let u: URL;
  let b: URL;
  try {
    [u, b] = [new URL(url), new URL(base(hf))];
  } catch {
    return null;
  }
  const prefix = b.pathname.replace(/\/+$/, "");
  if (u.origin !== b.origin || !u.pathname.startsWith(`${prefix}/`)) return null;
  const path = u.pathname.slice(prefix.length);
  // Only file addresses (`…/resolve/<revision>/<file>`), as the worker's downloader takes them.
  return /^\/[^/]+\/[^/]+\/resolve\/[^/]+\/.+/.test(path) ? path : null;
}

export class DownloadSources {
  #db?: Database;

  constructor(readonly database: string) {}

  /** Opened on first use, not at start. */
  get db(): Database {
    if (!this.#db) {
      this.#db = openDatabase(this.database);
      this.#db.exec(SCHEMA);
    }
    return this.#db;
  }

  /** A file with this sha256 was downloaded from `url`; remembered when that is on the Hugging Face host `hf`. */
  remember(sha256: string, url: string, hf: string): void {
    const path = pathUnder(url, hf);
    if (!path || !/^[0-9a-f]{64}$/.test(sha256)) return;
    this.db.query("INSERT OR REPLACE INTO model_sources (sha256, path, at) VALUES ($sha256, $path, $at)").run({ sha256, path, at: Date.now() });
  }

  /** Where a file with this sha256 can be downloaded from on the Hugging Face host `hf`; null when none was remembered. */
  huggingfaceUrl(sha256: string, hf: string): string | null {
    const row = this.db
      .query<{ path: string }, { sha256: string }>("SELECT path FROM model_sources WHERE sha256 = $sha256")
      .get({ sha256: sha256.toLowerCase() });
    return row ? `${base(hf)}${row.path}` : null;
  }

  close(): void {
    this.#db?.close();
  }
}
