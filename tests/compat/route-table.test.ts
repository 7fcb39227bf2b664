/** The compatibility routes listed at start (compat/route-table.ts) are exactly what the real sub-apps register. */
import { describe, expect, test } from "bun:test";
import { compatMounts } from "../../compat/mounts";
import type { CompatDeps } from "../../compat/deps";
import { COMPAT_ROUTES, type CompatMount } from "../../compat/route-table";
import { routeKeys } from "../../core/server/lazy-routes";

describe("compat route table", () => {
  // Building the sub-apps only registers routes: no handler runs, so no context or queue is needed.
  const mounts = compatMounts({} as CompatDeps);

  for (const path of Object.keys(COMPAT_ROUTES) as CompatMount[]) {
    test(`${path} lists every route its sub-app registers`, () => {
      const real = routeKeys(mounts[path]);
      expect(real.length).toBeGreaterThan(0);
      expect(real.sort()).toEqual([...COMPAT_ROUTES[path]].sort());
    });
  }

  test("every mount of the real service is in the table", () => {
    expect(Object.keys(mounts).sort()).toEqual(Object.keys(COMPAT_ROUTES).sort());
  });
});
