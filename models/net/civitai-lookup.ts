/**
 * Known models: a local file found on Civitai by its sha256
 * (GET /api/v1/model-versions/by-hash/{sha256}) gets the model's name, base
 * model, trigger words and a preview picture. Answers, "not on Civitai" too,
 * are kept in the database (a miss is asked again after a week); the preview
 * is downloaded once into the data dir's cache and served from there only.
 * The library's listing asks synchronously and gets what is known now; a
 * lookup that finishes later publishes `models.civitai`, and the UI lists again.
 * "Check for updates" compares with GET /api/v1/models/{modelId}; what it
 * finds is kept, so the Installed list shows it until the next check says otherwise.
 */
import { guardedFetch, MAX_JSON_ANSWER_BYTES, readJsonLimited, readLimited } from "../../downloads/fetch-guard";
import type { Database } from "bun:sqlite";
import { openDatabase } from "../../core/db";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EventBus } from "../../core/events/bus";
import type { Logger } from "../../core/log";
import type { CivitaiInfo, ModelEntry } from "../entry";
import { authFor, type Hosts } from "./downloads";
import { UpstreamError } from "./search";

const MISS_RETRY_MS = 7 * 24 * 3600_000;
const SCHEMA = `CREATE TABLE IF NOT EXISTS civitai_versions (sha256 TEXT PRIMARY KEY, info TEXT, checked INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS civitai_updates (sha256 TEXT PRIMARY KEY, newer TEXT, checked INTEGER NOT NULL);`;
const PREVIEW_TYPES: Record<string, string> = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" };

type Found = Omit<CivitaiInfo, "preview" | "updateAvailable"> & { previewUrl: string | null };

type ByHash = {
  id: number;
  modelId: number;
  name: string;
  baseModel?: string;
  trainedWords?: string[];
  model?: { name?: string };
  images?: { url: string; type?: string }[];
};

/** Civitai's by-hash answer in our words. Pure. */
export function fromByHash(v: ByHash, base: string): Found {
  return {
    modelId: v.modelId,
    versionId: v.id,
    name: v.model?.name ?? v.name,
    versionName: v.name,
    baseModel: v.baseModel ?? "",
    trainedWords: v.trainedWords ?? [],
    url: new URL(`/models/${v.modelId}?modelVersionId=${v.id}`, base).href,
    previewUrl: v.images?.find((i) => (i.type ?? "image") === "image")?.url ?? null,
  };
}

export class CivitaiLookup {
  readonly db: Database;
  #inFlight = new Set<string>();
  /** Hashes waiting to be asked: one request at a time, so a big library does not flood Civitai. */
  #waiting: string[] = [];
  #draining: Promise<void> | null = null;
  /** Aborts requests in flight when the app stops. */
  #abort = new AbortController();

  constructor(
    readonly deps: { database: string; previews: string; bus: EventBus; hosts: () => Hosts; enabled: () => boolean; fetch?: typeof fetch; log?: Logger },
  ) {
    this.db = openDatabase(deps.database);
    this.db.exec(SCHEMA);
  }

  close() {
    this.#waiting = [];
    this.#abort.abort();
    this.db.close();
  }

  /** Queues a lookup; they run one after another. */
  queue(sha256: string): void {
    if (this.#abort.signal.aborted || this.#inFlight.has(sha256) || this.#waiting.includes(sha256)) return;
    this.#waiting.push(sha256);
    this.#draining ??= (async () => {
      for (let next = this.#waiting.shift(); next; next = this.#waiting.shift()) await this.lookup(next);
    })().finally(() => (this.#draining = null));
  }

  /** Resolves once every queued lookup has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  #signal(ms: number): AbortSignal {
    return AbortSignal.any([this.#abort.signal, AbortSignal.timeout(ms)]);
  }

  /** The preview file of a sha256, if it was downloaded. */
  previewFile(sha256: string): string | null {
    for (const ext of Object.values(PREVIEW_TYPES)) {
      const file = join(this.deps.previews, `${sha256}.${ext}`);
      if (existsSync(file)) return file;
    }
    return null;
  }

  /** For the library's listing: what is known now; starts a lookup when nothing (fresh) is. */
  enrich = (entry: ModelEntry): CivitaiInfo | null => {
    if (!entry.sha256 || !this.deps.enabled()) return null;
    const row = this.db
      .query<{ info: string | null; checked: number }, { s: string }>("SELECT info, checked FROM civitai_versions WHERE sha256 = $s")
      .get({ s: entry.sha256 });
    if (!row || (row.info === null && Date.now() - row.checked > MISS_RETRY_MS)) this.queue(entry.sha256);
    if (!row?.info) return null;
    const { previewUrl: _, ...found } = JSON.parse(row.info) as Found;
    const update = this.db.query<{ newer: string | null }, { s: string }>("SELECT newer FROM civitai_updates WHERE sha256 = $s").get({ s: entry.sha256 });
    const updateAvailable = update?.newer ? (JSON.parse(update.newer) as CivitaiInfo["updateAvailable"]) : undefined;
    return {
      ...found,
      preview: this.previewFile(entry.sha256) ? `/api/models/preview/${entry.sha256}` : null,
      ...(updateAvailable ? { updateAvailable } : {}),
    };
  };

  /** The Civitai version a file is, when a lookup found it (another computer can download it from there). */
  versionOf(sha256: string): number | null {
    const row = this.db.query<{ info: string | null }, { s: string }>("SELECT info FROM civitai_versions WHERE sha256 = $s").get({ s: sha256 });
    return row?.info ? (JSON.parse(row.info) as Found).versionId : null;
  }

  /** Asks Civitai once for this sha256 (concurrent asks share it); keeps the answer. */
  async lookup(sha256: string): Promise<Found | null> {
    if (this.#inFlight.has(sha256)) return null;
    this.#inFlight.add(sha256);
    try {
      const hosts = this.deps.hosts();
      const url = new URL(`/api/v1/model-versions/by-hash/${sha256}`, hosts.civitai).href;
      const res = await this.#get(url, authFor(url, hosts), 20_000);
      if (this.#abort.signal.aborted) return null;
      if (res.status === 404) {
        this.#keep(sha256, null);
        return null;
      }
      if (!res.ok) return null; // asked again at the next listing
      const found = fromByHash((await readJsonLimited(res, MAX_JSON_ANSWER_BYTES, "Civitai's answer")) as ByHash, hosts.civitai);
      this.#keep(sha256, found);
      if (found.previewUrl) await this.#savePreview(sha256, found.previewUrl).catch((err) => this.deps.log?.warn(`civitai preview: ${err}`));
      this.deps.bus.publish("models.civitai", { sha256 });
      return found;
    } catch (err) {
      this.deps.log?.warn(`civitai lookup: ${(err as Error).message}`);
      return null;
    } finally {
      this.#inFlight.delete(sha256);
    }
  }

  /** The newest version of the entry's Civitai model when it is not the installed one. */
  async updateFor(sha256: string): Promise<{ versionId: number; name: string } | null> {
    const row = this.db.query<{ info: string | null }, { s: string }>("SELECT info FROM civitai_versions WHERE sha256 = $s").get({ s: sha256 });
    const known = row?.info ? (JSON.parse(row.info) as Found) : await this.lookup(sha256);
    if (!known) return null;
    const hosts = this.deps.hosts();
    const url = new URL(`/api/v1/models/${known.modelId}`, hosts.civitai).href;
    const res = await this.#get(url, authFor(url, hosts), 20_000);
    if (!res.ok) {
      const needsKey = res.status === 401 || res.status === 403;
      throw new UpstreamError(
        res.status,
        needsKey ? `Civitai answered ${res.status}: this model needs a Civitai API key (Settings → Models)` : `Civitai answered ${res.status}`,
      );
    }
    const answer = (await readJsonLimited(res, MAX_JSON_ANSWER_BYTES, "Civitai's answer")) as { modelVersions?: { id: number; name: string }[] };
    const newest = answer.modelVersions?.[0];
    const newer = newest && newest.id !== known.versionId ? { versionId: newest.id, name: newest.name } : null;
    this.db
      .query("INSERT OR REPLACE INTO civitai_updates (sha256, newer, checked) VALUES ($s, $n, $c)")
      .run({ s: sha256, n: newer ? JSON.stringify(newer) : null, c: Date.now() });
    return newer;
  }

  /** A JSON GET to Civitai through the fetch guard (its token to Civitai's origin only). */
  async #get(url: string, auth: Record<string, string>, timeoutMs: number): Promise<Response> {
    const hopHeaders = { accept: "application/json" };
    return (await guardedFetch(url, { headers: auth, hopHeaders, signal: this.#signal(timeoutMs), fetch: this.deps.fetch })).response;
  }

  #keep(sha256: string, found: Found | null) {
    this.db
      .query("INSERT OR REPLACE INTO civitai_versions (sha256, info, checked) VALUES ($s, $i, $c)")
      .run({ s: sha256, i: found ? JSON.stringify(found) : null, c: Date.now() });
  }

  async #savePreview(sha256: string, url: string) {
    if (this.previewFile(sha256)) return;
    // The preview's address comes from Civitai's answer: http(s) only at every hop, 20 MB at most (the read stops there).
    const res = (await guardedFetch(url, { signal: this.#signal(30_000), fetch: this.deps.fetch })).response;
    const ext = PREVIEW_TYPES[(res.headers.get("content-type") ?? "").split(";")[0]!.trim()];
    if (!res.ok || !ext) return void (await res.body?.cancel().catch(() => {}));
    const bytes = await readLimited(res, 20 * 1024 * 1024, "the preview");
    mkdirSync(this.deps.previews, { recursive: true });
    writeFileSync(join(this.deps.previews, `${sha256}.${ext}`), bytes);
  }
}

declare module "../../core/events/bus" {
  interface EventMap {
    /** Civitai's facts about a model file arrived (by its sha256). */
    "models.civitai": { sha256: string };
  }
}
