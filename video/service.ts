/**
 * Videos as an app service, wired by the composition root like upscale/: the queue service gets the
 * video task kind (`videoTaskKinds(hub)`, spread into its options) and this service, made after it,
 * opens the videos table and mounts /api/videos over that queue.
 */
import type { ServiceFactory } from "../core/services";
import type { TaskQueue } from "../queue/queue";
import type { TaskKind } from "../queue/task-kinds";
import { VideoHub } from "./kind";
import { videoRoutes } from "./routes/videos";

export { VideoHub };

/** For the queue service's options: `queueService({ engine, kinds: [...videoTaskKinds(hub).kinds] })`. */
export const videoTaskKinds = (hub: VideoHub): { kinds: TaskKind[] } => ({ kinds: [hub.kind] });

export function videoService(hub: VideoHub, queueOf: () => TaskQueue | undefined): ServiceFactory {
  return (ctx) => {
    const queue = queueOf();
    if (!queue) throw new Error("the video service needs the queue service before it");
    const store = hub.attach(ctx);
    return { name: "video", routes: { "/videos": videoRoutes(ctx, queue, hub) }, stop: () => store.close() };
  };
}
