/**
 * The compatibility APIs as an app service: A1111/Forge routes at /sdapi/v1
 * (+ A1111's /internal/ping) and OpenAI's images API at /v1, both over the queue (the queue service
 * must start first; `queueOf` hands its queue over). Their routes are listed at start
 * (route-table.ts); their modules load on the first compatibility request (~1.3 MB resident
 * saved for the sessions no client calls them, bench/startup.ts).
 */
import type { Hono } from "hono";
import { lazyRoutes } from "../core/server/lazy-routes";
import type { ServiceFactory } from "../core/services";
import type { TaskQueue } from "../queue/queue";
import { sharingQueue } from "../queue/service";
import { COMPAT_ROUTES, type CompatMount } from "./route-table";

export function compatService(queueOf: () => TaskQueue): ServiceFactory {
  return (ctx) => {
    let mounts: Promise<Record<CompatMount, Hono>> | undefined;
    const real = (path: CompatMount) => async () => {
      mounts ??= import("./mounts").then(({ compatMounts }) => compatMounts({ ctx, queue: queueOf() }));
      return (await mounts)[path];
    };
    const rootRoutes = Object.fromEntries(
      (Object.keys(COMPAT_ROUTES) as CompatMount[]).map((path) => [path, lazyRoutes(path, COMPAT_ROUTES[path], real(path))]),
    );
    return { name: "compat", rootRoutes };
  };
}

/** Wraps the queue service's factory so the compatibility service (second) gets its queue. */
export function withCompat(queueFactory: ServiceFactory): [ServiceFactory, ServiceFactory] {
  const shared = sharingQueue(queueFactory);
  const compat = compatService(() => {
    const queue = shared.queue();
    if (!queue) throw new Error("the compat service needs the queue service before it");
    return queue;
  });
  return [shared.factory, compat];
}
