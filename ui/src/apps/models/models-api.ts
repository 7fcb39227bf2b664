/**
 * The Model Browser's view of the models API (models/README.md and the
 * models contract): the entry, catalog, set, companion and search shapes the
 * UI reads, and `modelLibrary`, one shared copy of `GET /api/models` that
 * refreshes when a model download finishes or a hash arrives, so the Image
 * tab's picker and the Model Browser agree without reloading the page.
 */
import { api } from "../../api/http";
import { events as defaultStream, type EventStream } from "../../api/event-stream";

// The server's own type (type-only: nothing of the server goes into the bundle).
export type { CivitaiInfo, ModelEntry } from "../../../../models/entry";
import type { CivitaiInfo, ModelEntry } from "../../../../models/entry";


export interface LastUsed {
  model: string;
  vae?: string;
  text_encoders: string[];
  set?: string;
}

export interface ModelListing {
  models: ModelEntry[];
  kinds: Record<string, string[]>;
  roots: { path: string; layout: string; error?: string }[];
  lastUsed: LastUsed | null;
  scanning: boolean;
}

export interface CatalogFile {
  /** The first source. */
  url: string;
  /** Tried in order; a gated one needs a Hugging Face token and the licence accepted. */
  sources: { url: string; gated: boolean }[];
  kind: string;
  name: string;
  size: number;
  sha256?: string;
}

export interface CatalogEntry {
  id: string;
  title: string;
  family: string;
  description: string;
  licence: string;
  licenceUrl?: string;
  memory: { vramGb: number; ramGb: number };
  files: CatalogFile[];
  set?: { model: string; vae?: string; text_encoders: string[] };
  installed: boolean;
  /** Files only a gated repository has, with the page to accept its licence on. */
  gated: { name: string; page: string }[];
}

export interface Catalog {
  entries: CatalogEntry[];
  /** Whether a Hugging Face token is set (models.huggingface_token). */
  tokenSet: boolean;
  recommended: { id: string; reason: string } | null;
}

export interface ModelSet {
  name: string;
  model: string;
  vae?: string;
  text_encoders: string[];
  family: string | null;
}

export interface CompanionNeed {
  role: string;
  kind: string;
  installed: string[];
  suggested: string | null;
  catalog: string | null;
}

export interface Companions {
  family: string | null;
  needs: CompanionNeed[];
}

export interface SearchResult {
  source: "civitai" | "huggingface";
  id: string;
  name: string;
  author: string;
  type: string;
  baseModel: string | null;
  thumbnail: string | null;
  downloads: number;
  likes: number;
  licence: string | null;
  pageUrl: string;
  files: { name: string; url: string; size: number; sha256?: string }[];
}

export interface SearchQuery {
  source: "civitai" | "huggingface";
  q: string;
  type?: string;
  base?: string;
  sort?: string;
  cursor?: string;
}

const enc = encodeURIComponent;

export const modelsApi = {
  list: () => api<ModelListing>("/api/models"),
  /** Starts the engine with these models (after a starter download). */
  warm: (set: { model: string; vae?: string; text_encoders: string[] }) => api<{ warming: boolean }>("/api/models/warm", { method: "POST", json: set }),
  rescan: () => api<ModelListing>("/api/models/rescan", { method: "POST" }),
  remove: (kind: string, name: string) => api<{ deleted: string }>(`/api/models/${enc(kind)}/${name.split("/").map(enc).join("/")}`, { method: "DELETE" }),
  checkUpdate: (kind: string, name: string) =>
    api<{ updateAvailable: CivitaiInfo["updateAvailable"] }>(`/api/models/${enc(kind)}/${name.split("/").map(enc).join("/")}/check-update`, { method: "POST" }),
  catalog: () => api<Catalog>("/api/models/catalog"),
  downloadCatalog: (id: string) => api<{ ids: string[] }>("/api/models/download", { method: "POST", json: { catalog: id } }),
  downloadUrl: (body: { url: string; kind?: string; sha256?: string; name?: string }) => api<{ id: string }>("/api/models/download", { method: "POST", json: body }),
  sets: () => api<{ sets: ModelSet[] }>("/api/models/sets"),
  saveSet: (name: string, set: { model: string; vae?: string; text_encoders: string[] }) => api<ModelSet>(`/api/models/sets/${enc(name)}`, { method: "PUT", json: set }),
  deleteSet: (name: string) => api<{ deleted: string }>(`/api/models/sets/${enc(name)}`, { method: "DELETE" }),
  companions: (model: string) => api<Companions>(`/api/models/companions?model=${enc(model)}`),
  search: (q: SearchQuery) => {
    const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1]));
    return api<{ results: SearchResult[]; next: string | null }>(`/api/models/search?${params}`);
  },
};

/** One shared, refreshed copy of the model listing; listeners hear `change`. */
export class ModelLibraryStore extends EventTarget {
  listing: ModelListing | null = null;
  error = "";
  #loading?: Promise<void>;
  #listening = false;

  constructor(readonly stream: EventStream = defaultStream) {
    super();
  }

  /** Loads once (and listens for finished downloads and hashes); `refresh` forces a new read. */
  load(): Promise<void> {
    this.#listen();
    return this.listing ? Promise.resolve() : this.refresh();
  }

  refresh(rescan = false): Promise<void> {
    this.#loading ??= (rescan ? modelsApi.rescan() : modelsApi.list())
      .then((l) => {
        this.listing = l;
        this.error = "";
      })
      .catch((err) => {
        this.error = (err as Error).message;
      })
      .finally(() => {
        this.#loading = undefined;
        this.dispatchEvent(new Event("change"));
      });
    return this.#loading;
  }

  #listen() {
    if (this.#listening) return;
    this.#listening = true;
    this.stream.on("download", (d) => {
      const p = d as { kind?: string; phase?: string };
      if (p?.kind === "model" && (p.phase === "installed" || p.phase === "done")) void this.refresh();
    });
    this.stream.on("models.hashed", () => void this.refresh());
    this.stream.on("models.civitai", () => void this.refresh());
  }
}

export const modelLibrary = new ModelLibraryStore();
