/** R5, reduced (the full suite, 10,000 requests: `bun run bench:faults`). */
import { expect, test } from "bun:test";
import { canIsolate, fuzzRoutes } from "./fuzz";

test.skipIf(!canIsolate())("R5: 800 random and malformed requests over every route: no 5xx, alive, memory steady, nothing served from outside", async () => {
  const r = await fuzzRoutes(800, Date.now() % 100_000);
  expect(r.problems).toEqual([]);
}, 180_000);
