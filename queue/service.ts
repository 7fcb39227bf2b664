/**
 * The queue as an app service: opens the database, mounts the routes
 * (/api/tasks with removal/undo and the pictures zip, /api/queue,
 * /api/images, /api/metadata), starts
 * working through the queue once the server listens, and stops first on
 * shutdown (a running task is then recorded as interrupted).
 */
import type { Engine } from "../engine/types";
import type { AppContext } from "../core/server/context";
import type { Service } from "../core/services";
import { searchPathFor } from "../models/roots";
import { TaskQueue } from "./queue";
import { imageRoutes } from "./routes/images";
import { metadataRoutes } from "./routes/metadata";
import { picturesZipRoutes } from "./routes/pictures-zip";
import { queueRoutes } from "./routes/queue";
import { removalRoutes } from "./routes/removal";
import { TaskRemovals } from "./removal";
import { taskRoutes } from "./routes/tasks";
import { upscaleRoutes } from "./routes/upscale";
import { TaskStore } from "./store";
import { MemoryMemo } from "./memory-memo";
import { effectiveLevel } from "../common/memory-levels";

export interface QueueServiceOptions {
  /** The engine the queue runs on (the engine manager in the app, a stand-in-backed one in tests). */
  engine: (ctx: AppContext) => Engine | Promise<Engine>;
  pollMinMs?: number;
  pollMaxMs?: number;
  maxWaiting?: number;
  /** How long a removal can be undone (default UNDO_MS). */
  undoMs?: number;
}

export function queueService(options: QueueServiceOptions): (ctx: AppContext) => Promise<Service & { queue: TaskQueue; removals: TaskRemovals }> {
  return async (ctx): Promise<Service & { queue: TaskQueue; removals: TaskRemovals }> => {
    const store = new TaskStore(ctx.paths.database);
    const queue = new TaskQueue({
      store,
      engine: await options.engine(ctx),
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
    });
    const removals = new TaskRemovals({ queue, bus: ctx.bus, outputs: ctx.paths.outputs, log: ctx.log, undoMs: options.undoMs });
    return {
      name: "queue",
      queue,
      removals,
      routes: {
        "/tasks": taskRoutes(ctx, queue).route("/", removalRoutes(removals)).route("/", picturesZipRoutes(ctx, queue)),
        "/queue": queueRoutes(queue),
        "/images": imageRoutes(ctx, queue),
        "/metadata": metadataRoutes(),
        "/upscale": upscaleRoutes(ctx, queue),
      },
      start: () => {
        queue.start();
        removals.start();
      },
      stop: async () => {
        removals.stop();
        await queue.stop();
        store.close();
      },
    };
  };
}
