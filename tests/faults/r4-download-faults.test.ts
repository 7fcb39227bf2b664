/** R4, reduced (the full suite: `bun run bench:faults`). */
import { expect, test } from "bun:test";
import { downloadFaults } from "./download-faults";

test("R4: download faults, each kind twice: resumed and verified, or a clear error; nothing unverified placed", async () => {
  const r = await downloadFaults(16);
  expect(r.problems).toEqual([]);
}, 120_000);
