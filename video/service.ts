/**
 * Videos as an app service, wired by the composition root like upscale/: the queue service gets the
 * video task kind (`videoTaskKinds(hub)`, spread into its options) and this service, made after it,
 * opens the videos table and mounts /api/videos over that queue.
 */
import type { ServiceFactory } from "../core/services";
import { lazyRoutes, type RouteKey } from "../core/server/lazy-routes";
import type { TaskQueue } from "../queue/queue";
import type { TaskKind } from "../queue/task-kinds";
import { VideoHub } from "./kind";

export { VideoHub };

/** routes/videos.ts's routes, listed before it loads on the first video request (tests/video/route-table.test.ts). */
export const VIDEO_ROUTES: RouteKey[] = ["POST /", "GET /", "GET /families", "GET /:id", "GET /:id/poster", "GET /:id/info", "DELETE /:id"];

/** For the queue service's options: `queueService({ engine, kinds: [...videoTaskKinds(hub).kinds] })`. */
export const videoTaskKinds = (hub: VideoHub): { kinds: TaskKind[] } => ({ kinds: [hub.kind] });

export function videoService(hub: VideoHub, queueOf: () => TaskQueue | undefined): ServiceFactory {
  return (ctx) => {
    const queue = queueOf();
    if (!queue) throw new Error("the video service needs the queue service before it");
    const store = hub.attach(ctx);
    const routes = lazyRoutes("/api/videos", VIDEO_ROUTES, async () => (await import("./routes/videos")).videoRoutes(ctx, queue, hub));
    return { name: "video", routes: { "/videos": routes }, stop: () => store.close() };
  };
}
