/** R6, reduced (the full suite: `bun run bench:faults`). */
import { expect, test } from "bun:test";
import { strangers } from "./strangers";

test("R6: foreign Host, other origins, LAN without a valid token, brute force, and guests with the token on owner routes: nothing accepted", async () => {
  const r = await strangers(30);
  console.log(r.line);
  expect(r.problems).toEqual([]);
}, 120_000);
