/** R6, reduced (the full suite: `bun run bench:faults`). */
import { expect, test } from "bun:test";
import { strangers } from "./strangers";

test("R6: foreign Host, other origins, LAN without a valid token and brute force: nothing accepted", async () => {
  const r = await strangers(30);
  expect(r.problems).toEqual([]);
}, 120_000);
