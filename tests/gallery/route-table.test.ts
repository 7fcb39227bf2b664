/** The Gallery's routes listed at start (gallery/service.ts) are exactly what routes/gallery.ts registers, which loads on the first request. */
import { expect, test } from "bun:test";
import { routeKeys } from "../../core/server/lazy-routes";
import { GALLERY_ROUTES } from "../../gallery/service";
import { galleryRoutes } from "../../gallery/routes/gallery";
import type { Gallery } from "../../gallery/gallery";

test("GALLERY_ROUTES is exactly what routes/gallery.ts registers", () => {
  // Building the sub-app only registers routes: no handler runs, so no gallery is needed.
  const real = routeKeys(galleryRoutes({} as Gallery));
  expect(real.length).toBeGreaterThan(0);
  expect(real.sort()).toEqual([...GALLERY_ROUTES].sort());
});
