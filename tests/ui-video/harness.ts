/**
 * The services of the Video tab's end-to-end tests, wired as launcher/wiring.ts wires them: the
 * engine on the stand-in, the models service, the queue with upscale/'s and video/'s task kinds,
 * /api/videos over that queue, the Gallery (tied to the video table) and the prompts.
 */
import type { EngineManager } from "../../engine/manager";
import type { ServiceFactory } from "../../core/services";
import { join } from "node:path";
import { galleryService } from "../../gallery/service";
import { galleryVideoLink } from "../../launcher/wiring";
import { modelsService } from "../../models/service";
import type { ModelUse } from "../../models/use";
import { promptsService } from "../../prompts/service";
import type { TaskQueue } from "../../queue/queue";
import { queueService } from "../../queue/service";
import { upscaleTaskKinds, withUpscale } from "../../upscale/service";
import { VideoHub, videoService, videoTaskKinds } from "../../video/service";
import { managerFor } from "../queue/harness";
import type { StandinConfig } from "../standin/config";
import { standinInstalled } from "../standin/fixtures";

export function videoServices(engineRoot: string, standin: Partial<StandinConfig> = {}): ServiceFactory[] {
  const build = standinInstalled(engineRoot, "cpu", standin);
  let manager: EngineManager | undefined;
  const engineService: ServiceFactory = (ctx) => {
    manager = managerFor(ctx, build);
    return { name: "engine", stop: () => manager?.stop() };
  };
  const hub = new VideoHub();
  const kinds = [...upscaleTaskKinds.kinds, ...videoTaskKinds(hub).kinds];
  const queueFactory = queueService({ engine: () => manager!, pollMinMs: 20, pollMaxMs: 100, ...upscaleTaskKinds, kinds });
  let modelUse: ModelUse | undefined;
  let queue: TaskQueue | undefined;
  const queueWithUse: ServiceFactory = async (ctx) => {
    const service = await queueFactory(ctx);
    modelUse = service.modelUse;
    queue = service.queue;
    return service;
  };
  return [
    engineService,
    modelsService({ hashInBackground: false, use: () => modelUse }),
    ...withUpscale(queueWithUse),
    videoService(hub, () => queue),
    // Deleted videos go to a trash folder of the test's own (not the system trash).
    galleryService({ imagePath: (id) => queue?.store.image(id)?.path, videos: galleryVideoLink(() => hub), trash: { kind: "folder", dir: join(engineRoot, "test-trash") } }),
    promptsService,
  ];
}
