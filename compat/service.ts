/**
 * The compatibility APIs as an app service: A1111/Forge routes at /sdapi/v1
 * (+ A1111's /internal/ping) and OpenAI's images API at /v1, both over the queue (the queue service
 * must start first; `queueOf` hands its queue over).
 */
import type { ServiceFactory } from "../core/services";
import type { TaskQueue } from "../queue/queue";
import { sharingQueue } from "../queue/service";
import { pingRoutes } from "./a1111/extras";
import { a1111Routes } from "./a1111/routes";
import { openaiRoutes } from "./openai/routes";

export function compatService(queueOf: () => TaskQueue): ServiceFactory {
  return (ctx) => {
    const deps = { ctx, queue: queueOf() };
    return { name: "compat", rootRoutes: { "/sdapi/v1": a1111Routes(deps), "/v1": openaiRoutes(deps), "/internal": pingRoutes() } };
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
