/**
 * The queue as an app service: opens its tables, mounts the routes
 * (/api/tasks with removal/undo and the pictures zip, /api/queue,
 * /api/images, /api/metadata), starts working through the queue once the
 * server listens, and stops first on shutdown (a running task is then
 * recorded as interrupted). Task kinds besides images (upscale/, …) and the
 * model hashes (models/) are handed over by the composition root; it hands
 * `modelUse` to the models service.
 */
import type { Engine } from "../engine/types";
import type { AppContext } from "../core/server/context";
import type { Service, ServiceFactory } from "../core/services";
import { ModelHashes } from "../models/hashes";
import { searchPathFor } from "../models/roots";
import { ModelStore } from "../models/store";
import type { ModelUse } from "../models/use";
import { modelUseOf } from "./model-use";
import { TaskQueue } from "./queue";
import { imageRoutes } from "./routes/images";
import { metadataRoutes } from "./routes/metadata";
import { picturesZipRoutes } from "./routes/pictures-zip";
import { queueRoutes } from "./routes/queue";
import { removalRoutes } from "./routes/removal";
import { TaskRemovals } from "./removal";
import { taskRoutes } from "./routes/tasks";
import { TaskStore } from "./store";
import type { PictureStep, TaskKind } from "./task-kinds";
import { MemoryMemo } from "./memory-memo";
import type { Executors } from "./executors";
import { effectiveLevel } from "../common/memory-levels";

export interface QueueServiceOptions {
  /** The engine the queue runs on (the engine manager in the app, a stand-in-backed one in tests). */
  engine: (ctx: AppContext) => Engine | Promise<Engine>;
  /** What tasks run on (one engine per GPU: queue/engine-pool.ts poolExecutors; workers); absent: one executor on `engine`. */
  executors?: (ctx: AppContext) => Executors | Promise<Executors>;
  pollMinMs?: number;
  pollMaxMs?: number;
  maxWaiting?: number;
  /** How long a removal can be undone (default UNDO_MS). */
  undoMs?: number;
  /** Task kinds besides the image kind (e.g. upscale/'s upscaleTaskKinds). */
  kinds?: TaskKind[];
  /** Steps after each saved picture that requests may ask for. */
  pictureSteps?: PictureStep[];
  /** The models service's hashes (absent: the queue opens models' store itself, e.g. in tests without the models service). */
  hashes?: (ctx: AppContext) => ModelHashes | undefined;
}

export type QueueService = Service & { queue: TaskQueue; removals: TaskRemovals; modelUse: ModelUse };

/** Wraps a queue service's factory so services made after it (compat, upscale) can be handed its queue. */
export function sharingQueue(queueFactory: ServiceFactory): { factory: ServiceFactory; queue: () => TaskQueue | undefined } {
  let queue: TaskQueue | undefined;
  const factory: ServiceFactory = async (ctx) => {
    const service = await queueFactory(ctx);
    queue = (service as { queue?: TaskQueue }).queue;
    return service;
  };
  return { factory, queue: () => queue };
}

export function queueService(options: QueueServiceOptions): (ctx: AppContext) => Promise<QueueService> {
  return async (ctx): Promise<QueueService> => {
    const store = new TaskStore(ctx.paths.database);
    const given = options.hashes?.(ctx);
    const modelStore = given ? null : new ModelStore(ctx.paths.database);
    const queue = new TaskQueue({
      store,
      engine: await options.engine(ctx),
      executors: await options.executors?.(ctx),
      bus: ctx.bus,
      paths: ctx.paths,
      log: ctx.log,
      models: () => searchPathFor(ctx),
      templates: () => ({ folder: ctx.config.config.outputs.folder_template, file: ctx.config.config.outputs.file_template }),
      pollMinMs: options.pollMinMs,
      pollMaxMs: options.pollMaxMs,
      maxWaiting: options.maxWaiting,
      speed: () => ctx.config.config.engine.speed,
      memory: new MemoryMemo(store, () => ({ level: effectiveLevel(ctx.config.config.engine), device: ctx.config.config.engine.device })),
      hashes: given ?? new ModelHashes(modelStore),
      kinds: options.kinds,
      pictureSteps: options.pictureSteps,
    });
    const removals = new TaskRemovals({ queue, bus: ctx.bus, outputs: ctx.paths.outputs, log: ctx.log, undoMs: options.undoMs });
    return {
      name: "queue",
      queue,
      removals,
      modelUse: modelUseOf(store),
      routes: {
        "/tasks": taskRoutes(ctx, queue).route("/", removalRoutes(removals)).route("/", picturesZipRoutes(ctx, queue)),
        "/queue": queueRoutes(queue),
        "/images": imageRoutes(ctx, queue),
        "/metadata": metadataRoutes(),
      },
      start: () => {
        queue.start();
        removals.start();
      },
      stop: async () => {
        removals.stop();
        await queue.stop();
        store.close();
        modelStore?.close();
      },
    };
  };
}
