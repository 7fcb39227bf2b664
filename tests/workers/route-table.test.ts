/** The /api/workers routes listed at start (workers/service.ts) are exactly what routes.ts registers, which loads on the first request. */
import { expect, test } from "bun:test";
import { routeKeys } from "../../core/server/lazy-routes";
import { WORKER_ROUTES } from "../../workers/service";
import { workerRoutes, type WorkerRoutesDeps } from "../../workers/routes";

test("WORKER_ROUTES is exactly what routes.ts registers", () => {
  // Building the sub-app reads the board's store once; no handler runs.
  const board = { o: { store: {} } } as unknown as WorkerRoutesDeps["board"];
  const real = routeKeys(workerRoutes({ board, added: () => {}, removed: () => {} }));
  expect(real.length).toBeGreaterThan(0);
  expect(real.sort()).toEqual([...WORKER_ROUTES].sort());
});
