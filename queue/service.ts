/**
 * The queue as an app service: opens the database, mounts the routes
 * (/api/tasks, /api/queue, /api/images, /api/metadata), starts
 * working through the queue once the server listens, and stops first on
 * shutdown (a running task is then recorded as interrupted).
 */
import type { Engine } from "../engine/types";
import type { AppContext } from "../launcher/server/context";
import type { Service, ServiceFactory } from "../launcher/services";
import { searchPathFor } from "../models/roots";
import { TaskQueue } from "./queue";
import { imageRoutes } from "./routes/images";
import { metadataRoutes } from "./routes/metadata";
import { queueRoutes } from "./routes/queue";
import { taskRoutes } from "./routes/tasks";
import { upscaleRoutes } from "./routes/upscale";
import { TaskStore } from "./store";

export interface QueueServiceOptions {
  /** The engine the queue runs on (the engine manager in the app, a stand-in-backed one in tests). */
  engine: (ctx: AppContext) => Engine | Promise<Engine>;
  pollMinMs?: number;
  pollMaxMs?: number;
  maxWaiting?: number;
}

export function queueService(options: QueueServiceOptions): (ctx: AppContext) => Promise<Service & { queue: TaskQueue }> {
  return async (ctx): Promise<Service & { queue: TaskQueue }> => {
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
    });
    return {
      name: "queue",
      queue,
      routes: {
        "/tasks": taskRoutes(ctx, queue),
        "/queue": queueRoutes(queue),
        "/images": imageRoutes(ctx, queue),
        "/metadata": metadataRoutes(),
        "/upscale": upscaleRoutes(ctx, queue),
      },
      start: () => queue.start(),
      stop: async () => {
        await queue.stop();
        store.close();
      },
    };
  };
}
