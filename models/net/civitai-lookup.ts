/**
 * Civitai facts for installed models, found by the file's sha256
 * (GET {civitai}/api/v1/model-versions/by-hash/{sha256}): name, base model,
 * trigger words, a preview picture (cached once under paths.modelPreviews),
 * and whether a newer version exists (GET {civitai}/api/v1/models/{id}).
 * Answers are kept in the app database, negative ones too, with a time after
 * which they are asked again, so a library of hundreds of files costs one
 * request per file, ever. The library's enricher is synchronous: it answers
 * from the database and queues a lookup for a hash not asked yet.
 * Off when config models.civitai_lookup is false.
 */
import { Database } from "bun:sqlite";
import type { CivitaiInfo, ModelEntry } from "../entry";
import { PreviewCache } from "./previews";

const SCHEMA = `CREATE TABLE IF NOT EXISTS civitai_lookups (
  sha256 TEXT PRIMARY KEY, info TEXT, checked INTEGER NOT NULL, retry_after INTEGER NOT NULL);`;

/** How long a "not on Civitai" answer (or a failed request) is trusted before asking again. */
export const NEGATIVE_RETRY_MS = 7 * 24 * 3600 * 1000;
export const FAILURE_RETRY_MS = 3600 * 1000;
/** One Civitai request (or preview) may take this long before it counts as failed. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** The parts of Civitai's model-version answer we read (documented REST API v1). */
export interface CivitaiVersion {
  id: number;
  modelId: number;
  name: string;
  baseModel?: string;
  trainedWords?: string[];
  model?: { name?: string; type?: string };
  images?: { url: string; type?: string; nsfwLevel?: number }[];
}

/** Maps a by-hash answer to Entry.civitai (preview filled in by the caller). Pure. */
export function civitaiInfo(v: CivitaiVersion, civitaiBase: string): CivitaiInfo {
  return {
    modelId: v.modelId,
    versionId: v.id,
    name: v.model?.name ?? v.name,
    versionName: v.name,
    baseModel: v.baseModel ?? "",
    trainedWords: (v.trainedWords ?? []).filter((w) => typeof w === "string" && w.trim() !== ""),
    preview: null,
    url: `${civitaiBase}/models/${v.modelId}?modelVersionId=${v.id}`,
  };
}

/** The first still picture of a version (videos skipped; the safest nsfw level first). */
export function previewImage(v: CivitaiVersion): string | null {
  const images = (v.images ?? []).filter((i) => typeof i.url === "string" && (i.type ?? "image") === "image");
  images.sort((a, b) => (a.nsfwLevel ?? 1) - (b.nsfwLevel ?? 1));
  return images[0]?.url ?? null;
}

/** Newest version of a model, from GET /api/v1/models/{id} (versions are listed newest first). */
export function newerVersion(model: { modelVersions?: { id: number; name: string }[] }, versionId: number): { versionId: number; name: string } | null {
  const newest = model.modelVersions?.[0];
  return newest && newest.id !== versionId ? { versionId: newest.id, name: newest.name } : null;
}

export class CivitaiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "CivitaiError";
  }
}

export interface CivitaiLookupDeps {
  database: string;
  previews: PreviewCache;
  enabled: () => boolean;
  base: () => string;
  /** Authorization for the Civitai host only (never sent elsewhere). */
  auth: (url: string) => Record<string, string>;
  fetch?: typeof fetch;
  now?: () => number;
  /** Called when an answer arrived (e.g. to tell clients to re-read the list). */
  onFound?: (sha256: string) => void;
}

interface Row {
  info: string | null;
  retry_after: number;
}

export class CivitaiLookup {
  readonly db: Database;
  #queue: string[] = [];
  #queued = new Set<string>();
  #running: Promise<void> | null = null;
  #stopped = false;
  /** Aborts requests in flight when the app stops. */
  #abort = new AbortController();

  constructor(private readonly deps: CivitaiLookupDeps) {
    this.db = new Database(deps.database, { create: true, strict: true });
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;");
    this.db.exec(SCHEMA);
  }

  #now = () => (this.deps.now ?? Date.now)();
  #fetch = (url: string) =>
    (this.deps.fetch ?? fetch)(url, { headers: { accept: "application/json", ...this.deps.auth(url) }, redirect: "follow", signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });

  /** The library's enricher: the cached answer, queueing a lookup when none is fresh. */
  enrich = (entry: ModelEntry): CivitaiInfo | null => {
    if (!this.deps.enabled() || !entry.sha256) return null;
    const sha = entry.sha256.toLowerCase();
    const row = this.db.query<Row, { sha: string }>("SELECT info, retry_after FROM civitai_lookups WHERE sha256 = $sha").get({ sha });
    if (!row || (row.info === null && row.retry_after <= this.#now())) this.queue(sha);
    return row?.info ? this.#withPreview(sha, JSON.parse(row.info) as CivitaiInfo) : null;
  };

  /** The stored answer for a hash (undefined: never asked; null: not on Civitai). */
  cached(sha256: string): CivitaiInfo | null | undefined {
    const row = this.db.query<Row, { sha: string }>("SELECT info, retry_after FROM civitai_lookups WHERE sha256 = $sha").get({ sha: sha256.toLowerCase() });
    return row === null ? undefined : row.info ? this.#withPreview(sha256.toLowerCase(), JSON.parse(row.info) as CivitaiInfo) : null;
  }

  #withPreview(sha: string, info: CivitaiInfo): CivitaiInfo {
    return { ...info, preview: this.deps.previews.has(sha) ? `/api/models/preview/${sha}` : null };
  }

  queue(sha256: string): void {
    if (this.#stopped || this.#queued.has(sha256)) return;
    this.#queued.add(sha256);
    this.#queue.push(sha256);
    this.#running ??= this.#drain().finally(() => (this.#running = null));
  }

  /** Resolves when every queued lookup has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    for (let sha = this.#queue.shift(); sha && !this.#stopped; sha = this.#queue.shift()) {
      try {
        await this.lookup(sha);
      } catch {
        this.#save(sha, null, FAILURE_RETRY_MS);
      } finally {
        this.#queued.delete(sha);
      }
    }
  }

  /** Asks Civitai about one hash now, stores the answer and fetches its preview. */
  async lookup(sha256: string): Promise<CivitaiInfo | null> {
    const sha = sha256.toLowerCase();
    const base = this.deps.base();
    const res = await this.#fetch(`${base}/api/v1/model-versions/by-hash/${sha}`);
    if (res.status === 404) {
      await res.body?.cancel();
      this.#save(sha, null, NEGATIVE_RETRY_MS);
      return null;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new CivitaiError(res.status, `Civitai answered ${res.status} to the lookup by hash`);
    }
    const version = (await res.json()) as CivitaiVersion;
    const info = civitaiInfo(version, base);
    this.#save(sha, info, 0);
    const image = previewImage(version);
    if (image) await this.deps.previews.fetchOnce(sha, image, this.deps.fetch, AbortSignal.any([this.#abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])).catch(() => undefined);
    this.deps.onFound?.(sha);
    return this.#withPreview(sha, info);
  }

  /** Whether Civitai lists a newer version of this model; remembered with the answer. */
  async checkUpdate(sha256: string): Promise<{ versionId: number; name: string } | null> {
    const sha = sha256.toLowerCase();
    const info = this.cached(sha) ?? (await this.lookup(sha));
    if (!info) return null;
    const res = await this.#fetch(`${this.deps.base()}/api/v1/models/${info.modelId}`);
    if (!res.ok) {
      await res.body?.cancel();
      throw new CivitaiError(res.status, `Civitai answered ${res.status} for model ${info.modelId}`);
    }
    const update = newerVersion((await res.json()) as { modelVersions?: { id: number; name: string }[] }, info.versionId);
    const { preview: _preview, updateAvailable: _old, ...kept } = info;
    this.#save(sha, { ...kept, preview: null, ...(update ? { updateAvailable: update } : {}) }, 0);
    return update;
  }

  #save(sha: string, info: CivitaiInfo | null, retryMs: number): void {
    if (this.#stopped) return;
    const now = this.#now();
    this.db
      .query("INSERT INTO civitai_lookups (sha256, info, checked, retry_after) VALUES ($sha, $info, $now, $retry) ON CONFLICT(sha256) DO UPDATE SET info = excluded.info, checked = excluded.checked, retry_after = excluded.retry_after")
      .run({ sha, info: info ? JSON.stringify(info) : null, now, retry: now + retryMs });
  }

  stop(): void {
    this.#stopped = true;
    this.#queue = [];
    this.#abort.abort();
    this.db.close();
  }
}
