/** The models-net routes listed at start (models/net/service.ts) are exactly what net/routes.ts registers, which loads on the first of them. */
import { expect, test } from "bun:test";
import { routeKeys } from "../../core/server/lazy-routes";
import { NET_ROUTES } from "../../models/net/service";
import { netRoutes } from "../../models/net/routes";

test("NET_ROUTES lists every mount and route net/routes.ts registers", () => {
  // Building the sub-apps only registers routes: no handler runs, so no dependency is needed.
  const real = netRoutes({} as Parameters<typeof netRoutes>[0]);
  expect(Object.keys(real).sort()).toEqual(Object.keys(NET_ROUTES).sort());
  for (const [path, app] of Object.entries(real)) {
    const keys = routeKeys(app);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.sort()).toEqual([...NET_ROUTES[path]!].sort());
  }
});
