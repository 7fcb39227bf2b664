/**
 * The Model Browser's view of the models API (models/README.md and the
 * models contract): the entry, catalog, set, companion and search shapes the
 * UI reads, and `modelLibrary`, one shared copy of `GET /api/models` that
 * refreshes when a model download finishes or a hash arrives, so the Image
 * tab's picker and the Model Browser agree without reloading the page.
 */
import { api } from "../../api/http";
import { events as defaultStream, type EventStream } from "../../api/event-stream";

// The server's own types (type-only imports: nothing of the server goes into the bundle).
import type { CompanionNeed } from "../../../../models/companions";
import type { CivitaiInfo, LastUsed, ModelEntry } from "../../../../models/entry";
import type { ModelList } from "../../../../models/library";
import type { CatalogEntry as CatalogListing, CatalogFile } from "../../../../models/net/catalog";
import type { SearchQuery, SearchResult } from "../../../../models/net/search";
import type { ModelSetRecord } from "../../../../models/store";
import type { RememberedLevel } from "../../../../queue/memory-memo";

export type { CatalogFile, CivitaiInfo, CompanionNeed, LastUsed, ModelEntry, SearchQuery, SearchResult };

/** GET /api/models. */
export type ModelListing = ModelList;

/** A catalog entry as GET /api/models/catalog lists it (models/net/routes.ts): whether it is installed, and its gated files. */
export type CatalogEntry = CatalogListing & {
  installed: boolean;
  /** Files only a gated repository has, with the page to accept its licence on. */
  gated: { name: string; page: string }[];
};

export interface Catalog {
  entries: CatalogEntry[];
  /** Whether a Hugging Face token is set (models.huggingface_token). */
  tokenSet: boolean;
  recommended: { id: string; reason: string } | null;
}

export type ModelSet = ModelSetRecord;

/** GET /api/models/companions (models/routes/companions.ts). */
export interface Companions {
  family: string | null;
  needs: CompanionNeed[];
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
  downloadUrl: (body: { url: string; kind?: string; sha256?: string; name?: string }) =>
    api<{ id: string }>("/api/models/download", { method: "POST", json: body }),
  /** Stops a model download; false when it had already finished. */
  cancelDownload: (id: string) => api<{ cancelled: boolean }>(`/api/models/downloads/${enc(id)}/cancel`, { method: "POST" }),
  /** Starts an ended download again (its id stays). */
  retryDownload: (id: string) => api<{ id: string }>(`/api/models/downloads/${enc(id)}/retry`, { method: "POST" }),
  /** Forgets a download that ended (failed or cancelled). */
  removeDownload: (id: string) => api<{ removed: boolean }>(`/api/models/downloads/${enc(id)}/remove`, { method: "POST" }),
  sets: () => api<{ sets: ModelSet[] }>("/api/models/sets"),
  saveSet: (name: string, set: { model: string; vae?: string; text_encoders: string[] }) =>
    api<ModelSet>(`/api/models/sets/${enc(name)}`, { method: "PUT", json: set }),
  deleteSet: (name: string) => api<{ deleted: string }>(`/api/models/sets/${enc(name)}`, { method: "DELETE" }),
  /** The GPU memory use the queue remembered per model after running out of memory (GET /api/queue/memory-levels). */
  memoryLevels: () => api<{ levels: RememberedLevel[] }>("/api/queue/memory-levels"),
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
