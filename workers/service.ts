/**
 * Other computers as workers, as an app service: the store (workers.json),
 * the board of their states, `/api/workers`, and one queue executor per
 * worker, added to the queue's executors at start and as workers are added.
 * The queue and the model hashes are handed over by the composition root
 * (launcher/wiring.ts).
 */
import type { AppContext } from "../core/server/context";
import type { Service } from "../core/services";
import { lazyRoutes, type RouteKey } from "../core/server/lazy-routes";
import type { ModelHashes } from "../models/hashes";
import { basename } from "node:path";
import { civitaiBase, huggingfaceBase } from "../models/hosts";
import { loadCatalog } from "../models/net/catalog";
import { searchPathFor } from "../models/roots";
import type { TaskQueue } from "../queue/queue";
import { WorkerBoard, type BoardOptions } from "./board";
import type { ClientOptions } from "./client";
import { workerExecutor } from "./executor";
import type { SourceOf } from "./remote-run";
import { WorkerStore } from "./store";
import { TaskFiles } from "./task-files";

/** routes.ts's routes, listed before it loads on the first /api/workers request (tests/workers/route-table.test.ts). */
export const WORKER_ROUTES: RouteKey[] = ["GET /", "POST /", "PATCH /", "POST /:id/check", "DELETE /:id"];

export interface WorkersServiceOptions {
  queue: () => TaskQueue | undefined;
  hashes: () => ModelHashes | undefined;
  client?: ClientOptions;
  board?: Pick<BoardOptions, "readyCheckMs" | "downCheckMs">;
  /** The starter catalogue's text (default: the shipped one). */
  catalog?: string;
  /** The Civitai version of a file by its sha256, when a lookup found it (models/net's CivitaiLookup). */
  civitaiVersion?: (sha256: string) => number | null;
  /** Where on the Hugging Face host `hf` a file with this sha256 was downloaded from here (models/net's DownloadSources). */
  huggingfaceUrl?: (sha256: string, hf: string) => string | null;
}

export type WorkersService = Service & { board: WorkerBoard; store: WorkerStore };

/**
 * Where a missing file can be downloaded from, as the worker's POST /api/models/download takes it
 * (`{url, kind, name, sha256}`: the worker accepts it from its own Hugging Face and Civitai hosts, when its
 * owner lets other devices download): a starter-catalogue file with that sha256 (`catalog`: the catalogue's
 * text, models/net/catalog.yaml unless given), else the Hugging Face file it was downloaded from here (through
 * the app, remembered by its sha256: models/net/download-sources.ts), else the Civitai version a lookup found
 * it to be (its download URL is `{civitai}/api/download/models/{versionId}`, as Civitai's model-version answers give it).
 */
export interface SourceOptions {
  hfBase: () => string;
  civitaiBase: () => string;
  catalog?: string;
  civitaiVersion?: (sha256: string) => number | null;
  huggingfaceUrl?: (sha256: string, hf: string) => string | null;
}

export function modelSource(o: SourceOptions): SourceOf {
  let read: { base: string; entries: ReturnType<typeof loadCatalog> } | undefined;
  return (file) => {
    if (read?.base !== o.hfBase()) read = { base: o.hfBase(), entries: loadCatalog(o.catalog, o.hfBase()) };
    const sha256 = file.sha256.toLowerCase();
    const found = read.entries.flatMap((e) => e.files).find((f) => f.sha256 === sha256 && f.kind === file.kind);
    if (found) return { url: found.url, kind: found.kind, name: found.name, sha256 };
    const hf = o.huggingfaceUrl?.(sha256, o.hfBase());
    if (hf) return { url: hf, kind: file.kind, name: basename(file.path), sha256 };
    const version = o.civitaiVersion?.(sha256);
    return version ? { url: new URL(`/api/download/models/${version}`, o.civitaiBase()).href, kind: file.kind, name: basename(file.path), sha256 } : null;
  };
}

export function workersService(o: WorkersServiceOptions) {
  return (ctx: AppContext): WorkersService => {
    const store = new WorkerStore(ctx.paths.workers);
    const board = new WorkerBoard({ store, bus: ctx.bus, client: o.client, ...o.board });
    const sourceOf = modelSource({
      hfBase: () => huggingfaceBase(ctx.config.config.models, ctx.env),
      civitaiBase: () => civitaiBase(ctx.config.config.models),
      catalog: o.catalog,
      civitaiVersion: o.civitaiVersion,
      huggingfaceUrl: o.huggingfaceUrl,
    });
    const files = new TaskFiles({ models: () => searchPathFor(ctx), hashes: o.hashes, onHashed: () => board.changed() });
    const add = (id: string) => {
      const queue = o.queue();
      if (!queue) throw new Error("the workers service needs the queue service before it");
      queue.executors.add(
        workerExecutor(id, {
          board,
          models: () => searchPathFor(ctx),
          hashes: o.hashes,
          downloadMissing: () => store.downloadMissing,
          sourceOf,
          files,
          picture: (task) => queue.kinds.of(task.request) === queue.kinds.fallback,
        }),
      );
    };
    return {
      name: "workers",
      board,
      store,
      routes: {
        "/workers": lazyRoutes("/api/workers", WORKER_ROUTES, async () =>
          (await import("./routes")).workerRoutes({ board, added: add, removed: (id) => o.queue()?.executors.remove(`worker:${id}`) }),
        ),
      },
      start: () => {
        for (const w of store.list()) add(w.id);
        board.start();
      },
      stop: () => board.stop(),
    };
  };
}
