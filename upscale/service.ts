/**
 * Upscaling as an app service, wired by the composition root: the queue
 * service gets the upscale task kind and picture step (`upscaleTaskKinds`,
 * spread into its options), and this service mounts POST /api/upscale over
 * that queue (the queue service must come first; `queueOf` hands it over).
 */
import type { ServiceFactory } from "../core/services";
import type { TaskQueue } from "../queue/queue";
import { sharingQueue } from "../queue/service";
import type { PictureStep, TaskKind } from "../queue/task-kinds";
import { upscaleKind, upscaleStep } from "./kind";
import { upscaleRoutes } from "./routes/upscale";

/** For the queue service's options: `queueService({ engine, ...upscaleTaskKinds })`. */
export const upscaleTaskKinds: { kinds: TaskKind[]; pictureSteps: PictureStep[] } = { kinds: [upscaleKind], pictureSteps: [upscaleStep] };

export function upscaleService(queueOf: () => TaskQueue | undefined): ServiceFactory {
  return (ctx) => {
    const queue = queueOf();
    if (!queue) throw new Error("the upscale service needs the queue service before it");
    return { name: "upscale", routes: { "/upscale": upscaleRoutes(ctx, queue) } };
  };
}

/** Wraps a queue service's factory (made with `upscaleTaskKinds`) so the upscale service (second) gets its queue. */
export function withUpscale(queueFactory: ServiceFactory): [ServiceFactory, ServiceFactory] {
  const shared = sharingQueue(queueFactory);
  return [shared.factory, upscaleService(shared.queue)];
}
