/**
 * The computer the workers work for: the real app in this process with the
 * models, queue (on its own stand-in engine), Gallery and workers services,
 * wired as launcher/wiring.ts wires them, on a temporary data folder.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ServiceFactory } from "../../core/services";
import { modelsNetService, type ModelsNetService } from "../../models/net/service";
import type { Engine } from "../../engine/types";
import { modelsService, type ModelsService } from "../../models/service";
import { queueService, sharingQueue } from "../../queue/service";
import type { StandinConfig } from "../standin/config";
import { workersService, type WorkersService } from "../../workers/service";
import { startGalleryApp, type GalleryApp } from "../gallery/harness";
import { managerFor, standin } from "../queue/harness";
import { writeModel, type ModelFile } from "./computers";

export interface Coordinator extends GalleryApp {
  workers: WorkersService;
  engine: Engine;
  library: ModelsService;
}

/** The coordinator's services (models, the queue on its own stand-in engine, workers) and handles to them once started. */
export function coordinatorServices(dir: string, o: { engine?: Partial<StandinConfig>; catalog?: string } = {}) {
  const build = standin(dir, o.engine);
  const handles: { engine?: Engine; library?: ModelsService; workers?: WorkersService; net?: ModelsNetService } = {};
  const modelsFactory = modelsService({ hashInBackground: false });
  const shared = sharingQueue(queueService({ engine: (ctx) => (handles.engine = managerFor(ctx, build)), hashes: () => handles.library?.hashes }));
  const workersFactory = workersService({
    queue: shared.queue,
    hashes: () => handles.library?.hashes,
    board: { downCheckMs: 300, readyCheckMs: 1_000 },
    catalog: o.catalog,
    civitaiVersion: (sha256) => handles.net?.civitai.versionOf(sha256) ?? null,
    huggingfaceUrl: (sha256, hf) => handles.net?.sources.huggingfaceUrl(sha256, hf) ?? null,
  });
  const netFactory = modelsNetService({ library: () => handles.library });
  const services: ServiceFactory[] = [
    async (ctx) => (handles.net = (await netFactory(ctx)) as ModelsNetService),
    async (ctx) => (handles.library = (await modelsFactory(ctx)) as ModelsService),
    shared.factory,
    (ctx) => (handles.workers = workersFactory(ctx)),
  ];
  return { services, handles, queue: shared.queue };
}

export async function startCoordinator(
  dir: string,
  models: ModelFile[],
  o: { engine?: Partial<StandinConfig>; config?: string; catalog?: string } = {},
): Promise<Coordinator> {
  for (const m of models) writeModel(dir, m);
  if (o.config) writeFileSync(join(dir, "config.yaml"), o.config);
  const { services, handles, queue } = coordinatorServices(dir, o);
  const app = await startGalleryApp(dir, { before: services, imagePath: (id) => queue()?.store.image(id)?.path });
  return {
    ...app,
    workers: handles.workers!,
    engine: handles.engine!,
    library: handles.library!,
    stop: async () => {
      await app.stop();
      await handles.engine?.stop();
    },
  };
}
