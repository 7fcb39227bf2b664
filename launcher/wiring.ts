/**
 * Which services the real app runs, in start order. Tests compose their own
 * list; this is the one the executable uses.
 */
import { apiDocsService } from "./api-docs/service";
import { withCompat } from "../compat/service";
import { showDownloadProgress } from "../downloads/terminal-progress";
import { SourceBuilder } from "../engine/build/builder";
import { showBuildProgress } from "../engine/build/terminal-progress";
import { importBuild } from "../engine/install/import";
import { createBuildProvider } from "../engine/install/provider";
import { engineParts } from "../engine/service";
import { modelsService, type ModelsService } from "../models/service";
import { modelsNetService } from "../models/net/service";
import { pluginService } from "../plugins/service";
import { promptsService } from "../prompts/service";
import { galleryService } from "../gallery/service";
import type { ModelUse } from "../models/use";
import type { TaskQueue } from "../queue/queue";
import { queueService } from "../queue/service";
import { upscaleService, upscaleTaskKinds } from "../upscale/service";
import type { ServiceFactory } from "../core/services";
import { windowService } from "./window/service";

/** The engine download as a progress bar on stderr (`--server`), subscribed before the first-run install starts. */
const terminalProgress: ServiceFactory = (ctx) => {
  const off = showDownloadProgress(ctx.bus);
  const offBuild = showBuildProgress(ctx.bus);
  return {
    name: "download-progress",
    stop: () => {
      off();
      offBuild();
    },
  };
};

export function appServices(options: { server?: boolean } = {}): ServiceFactory[] {
  const engine = engineParts({
    provider: (ctx) => createBuildProvider({ config: ctx.config, paths: ctx.paths, bus: ctx.bus, log: ctx.log }),
    importer: (ctx) => (path) => importBuild(path, ctx.paths),
    builder: (ctx) => new SourceBuilder({ config: ctx.config, paths: ctx.paths, bus: ctx.bus }),
  });
  // The Gallery indexes what the queue saves: it asks the queue where an image went. The queue runs upscale/'s
  // task kind and post-step, hashes through the models service, and tells it what the tasks used.
  let queue: TaskQueue | undefined;
  let modelUse: ModelUse | undefined;
  let models: ModelsService | undefined;
  const queueFactory = queueService({ engine: engine.engine, ...upscaleTaskKinds, hashes: () => models?.hashes });
  const withQueue: ServiceFactory = async (ctx) => {
    const service = await queueFactory(ctx);
    queue = service.queue;
    modelUse = service.modelUse;
    return service;
  };
  // The Civitai lookup (models/net) fills the library's entries: it asks the library service once both started.
  const modelsFactory = modelsService({ engine: engine.engine, use: () => modelUse });
  const withModels: ServiceFactory = async (ctx) => (models = (await modelsFactory(ctx)) as ModelsService);
  const gallery = galleryService({ imagePath: (id) => queue?.store.image(id)?.path });
  // The queue stops before the models and the engine (services stop in reverse order).
  return [
    ...(options.server ? [terminalProgress] : []),
    engine.service,
    modelsNetService({ library: () => models }),
    withModels,
    ...withCompat(withQueue),
    upscaleService(() => queue),
    gallery,
    apiDocsService,
    promptsService,
    pluginService,
    windowService,
  ];
}
