/** The video routes listed at start (video/service.ts) are exactly what routes/videos.ts registers, which loads on the first request. */
import { expect, test } from "bun:test";
import { routeKeys } from "../../core/server/lazy-routes";
import { VIDEO_ROUTES, type VideoHub } from "../../video/service";
import { videoRoutes } from "../../video/routes/videos";
import type { AppContext } from "../../core/server/context";
import type { TaskQueue } from "../../queue/queue";

test("VIDEO_ROUTES is exactly what routes/videos.ts registers", () => {
  // Building the sub-app only registers routes: no handler runs, so no context, queue or hub is needed.
  const real = routeKeys(videoRoutes({} as AppContext, {} as TaskQueue, {} as VideoHub));
  expect(real.length).toBeGreaterThan(0);
  expect(real.sort()).toEqual([...VIDEO_ROUTES].sort());
});
