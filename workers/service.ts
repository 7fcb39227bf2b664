/**
 * Other computers as workers, as an app service: the store (workers.json),
 * the board of their states, `/api/workers`, and one queue executor per
 * worker, added to the queue's executors at start and as workers are added.
 * The queue and the model hashes are handed over by the composition root
 * (launcher/wiring.ts).
 */
import type { AppContext } from "../core/server/context";
import type { Service } from "../core/services";
import type { ModelHashes } from "../models/hashes";
import { loadCatalog } from "../models/net/catalog";
import { searchPathFor } from "../models/roots";
import type { TaskQueue } from "../queue/queue";
import { WorkerBoard, type BoardOptions } from "./board";
import type { ClientOptions } from "./client";
import { workerExecutor } from "./executor";
import type { SourceOf } from "./remote-run";
import { workerRoutes } from "./routes";
import { WorkerStore } from "./store";

export interface WorkersServiceOptions {
  queue: () => TaskQueue | undefined;
  hashes: () => ModelHashes | undefined;
  client?: ClientOptions;
  board?: Pick<BoardOptions, "readyCheckMs" | "downCheckMs">;
}

export type WorkersService = Service & { board: WorkerBoard; store: WorkerStore };

/** A missing file's download the worker can do itself: a starter-catalogue file, asked for by its entry (POST /api/models/download {catalog}). */
export function catalogSource(hfBase: () => string): SourceOf {
  let read: { base: string; entries: ReturnType<typeof loadCatalog> } | undefined;
  return (file) => {
    if (read?.base !== hfBase()) read = { base: hfBase(), entries: loadCatalog(undefined, hfBase()) };
    const entry = read.entries.find((e) => e.files.some((f) => f.sha256?.toLowerCase() === file.sha256.toLowerCase()));
    return entry ? { catalog: entry.id } : null;
  };
}

export function workersService(o: WorkersServiceOptions) {
  return (ctx: AppContext): WorkersService => {
    const store = new WorkerStore(ctx.paths.workers);
    const board = new WorkerBoard({ store, bus: ctx.bus, client: o.client, ...o.board });
    const sourceOf = catalogSource(() => ctx.config.config.models.huggingface_base);
    const add = (id: string) => {
      const queue = o.queue();
      if (!queue) throw new Error("the workers service needs the queue service before it");
      queue.executors.add(
        workerExecutor(id, { board, models: () => searchPathFor(ctx), hashes: o.hashes, downloadMissing: () => store.downloadMissing, sourceOf }),
      );
    };
    return {
      name: "workers",
      board,
      store,
      routes: { "/workers": workerRoutes({ board, added: add, removed: (id) => o.queue()?.executors.remove(`worker:${id}`) }) },
      start: () => {
        for (const w of store.list()) add(w.id);
        board.start();
      },
      stop: () => board.stop(),
    };
  };
}
