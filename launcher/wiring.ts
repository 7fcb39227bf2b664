/**
 * Which services the real app runs, in start order. Tests compose their own
 * list; this is the one the executable uses. Each service's modules load when
 * its factory runs (startApp runs them after the server listens, one at a
 * time, letting requests through between them), not when this file loads.
 */
import type { ModelsService } from "../models/service";
import type { ModelsNetService } from "../models/net/service";
import type { ModelUse } from "../models/use";
import type { TaskQueue } from "../queue/queue";
import type { VideoHub } from "../video/kind";
import type { EngineManager } from "../engine/manager";
import type { EnginePool } from "../engine/pool/pool";
import type { AppContext } from "../core/server/context";
import type { Service, ServiceFactory } from "../core/services";
import type { RpcCoordinator } from "../rpc/coordinator";
import type { GalleryVideoLink } from "../gallery/gallery";

/** A factory whose module is imported when it runs. */
const later =
  (load: () => Promise<ServiceFactory>): ServiceFactory =>
  async (ctx) =>
    (await load())(ctx);

/** The engine download as a progress bar on stderr (`--server`), subscribed before the first-run install starts. */
const terminalProgress = later(async () => {
  const [{ showDownloadProgress }, { showBuildProgress }] = await Promise.all([
    import("../downloads/terminal-progress"),
    import("../engine/build/terminal-progress"),
  ]);
  return (ctx) => {
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
});

/**
 * The Gallery and the video table in step (same floor: neither imports the other): the Gallery indexes a
 * finished task's videos, and a video it moves to the trash leaves the table and comes back on undo.
 */
export const galleryVideoLink = (hub: () => VideoHub | undefined): GalleryVideoLink => ({
  savedPaths: (taskId) => hub()?.savedPaths(taskId) ?? [],
  removed: (videoId, videoPath) => hub()?.forget(videoId, videoPath),
  restored: (videoPath) => hub()?.restore(videoPath),
});

export function appServices(options: { server?: boolean } = {}): ServiceFactory[] {
  // The engine's manager, once its service (the first) has loaded: the queue and the models run on it.
  let engineFor: ((ctx: AppContext) => EngineManager) | undefined;
  let poolFor: ((ctx: AppContext) => EnginePool) | undefined;
  const engine = (ctx: AppContext) => {
    if (!engineFor) throw new Error("the engine service must start before the services that use it");
    return engineFor(ctx);
  };
  // The RPC workers (rpc/, a floor above the engine) add --rpc-servers, explain a worker gone, list RPC devices and
  // drop a chosen RPC device that is gone (rpc/extension.ts).
  let rpc: RpcCoordinator | undefined;
  const engineService = later(async () => {
    const [{ engineParts }, { createBuildProvider }, { importBuild }, { SourceBuilder }, { rpcEngineExtension }] = await Promise.all([
      import("../engine/service"),
      import("../engine/install/provider"),
      import("../engine/install/import"),
      import("../engine/build/builder"),
      import("../rpc/extension"),
    ]);
    const rpcExtension = rpcEngineExtension(() => rpc);
    const parts = engineParts({
      provider: (ctx) => createBuildProvider({ config: ctx.config, paths: ctx.paths, bus: ctx.bus, log: ctx.log }),
      importer: (ctx) => (path) => importBuild(path, ctx.paths),
      builder: (ctx) => new SourceBuilder({ config: ctx.config, paths: ctx.paths, bus: ctx.bus }),
      extension: () => rpcExtension,
    });
    engineFor = parts.engine;
    poolFor = parts.pool;
    return parts.service;
  });
  // The Gallery indexes what the queue saves: it asks the queue where an image went. The queue runs upscale/'s
  // task kind and post-step, hashes through the models service, and tells it what the tasks used.
  let queue: TaskQueue | undefined;
  let modelUse: ModelUse | undefined;
  let models: ModelsService | undefined;
  // The Civitai lookup and the remembered Hugging Face downloads tell the workers where a file a worker lacks can be downloaded from.
  let modelsNet: ModelsNetService | undefined;
  let videos: VideoHub | undefined;
  const withQueue = later(async () => {
    const [{ queueService }, { upscaleTaskKinds }, { poolExecutors }, video] = await Promise.all([
      import("../queue/service"),
      import("../upscale/service"),
      import("../queue/engine-pool"),
      import("../video/service"),
    ]);
    // One engine per GPU (engine/pool): the queue runs a task on each at once.
    const executors = (ctx: AppContext) => poolExecutors(poolFor!(ctx), ctx.log);
    videos = new video.VideoHub();
    const kinds = [...upscaleTaskKinds.kinds, ...video.videoTaskKinds(videos).kinds];
    const factory = queueService({ engine, executors, ...upscaleTaskKinds, kinds, hashes: () => models?.hashes });
    return async (ctx) => {
      const service = await factory(ctx);
      queue = service.queue;
      modelUse = service.modelUse;
      return service;
    };
  });
  // The Civitai lookup (models/net) fills the library's entries: it asks the library service once both started.
  const withModels = later(async () => {
    const { modelsService } = await import("../models/service");
    const factory = modelsService({ engine, use: () => modelUse });
    return async (ctx) => (models = (await factory(ctx)) as ModelsService);
  });
  // The queue stops before the models and the engine (services stop in reverse order).
  return [
    ...(options.server ? [terminalProgress] : []),
    engineService,
    later(async () => (await import("../rpc/service")).rpcService({ engine, ready: (c) => (rpc = c) })),
    later(async () => {
      const factory = (await import("../models/net/service")).modelsNetService({ library: () => models });
      return async (ctx) => (modelsNet = (await factory(ctx)) as ModelsNetService);
    }),
    withModels,
    withQueue,
    // A1111 and OpenAI clients, and upscaling, over the queue (started just before).
    later(async () =>
      (await import("../compat/service")).compatService(() => {
        if (!queue) throw new Error("the compat service needs the queue service before it");
        return queue;
      }),
    ),
    later(async () => (await import("../upscale/service")).upscaleService(() => queue)),
    later(async () => (await import("../video/service")).videoService(videos!, () => queue)),
    later(async () =>
      (await import("../gallery/service")).galleryService({ imagePath: (id) => queue?.store.image(id)?.path, videos: galleryVideoLink(() => videos) }),
    ),
    // Other computers as workers: executors of the queue, matching model files by the models service's hashes.
    later(async () =>
      (await import("../workers/service")).workersService({
        queue: () => queue,
        hashes: () => models?.hashes,
        civitaiVersion: (sha256) => modelsNet?.civitai.versionOf(sha256) ?? null,
        huggingfaceUrl: (sha256, hf) => modelsNet?.sources.huggingfaceUrl(sha256, hf) ?? null,
      }),
    ),
    later(async () => (await import("./api-docs/service")).apiDocsService),
    later(async () => (await import("../prompts/service")).promptsService),
    later(async () => (await import("../plugins/service")).pluginService),
    later(async () => (await import("./window/service")).windowService),
  ];
}
