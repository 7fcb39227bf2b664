/** R7, reduced (the full suite, 50 clients and 200 tasks, with latency figures: `bun run bench:faults`). */
import { expect, test } from "bun:test";
import { loadSuite } from "./load";

test("R7: 10 event-stream clients while 30 tasks run: every client sees every task finish, no gap in event ids", async () => {
  const r = await loadSuite(10, 30);
  expect(r.problems).toEqual([]);
}, 120_000);
