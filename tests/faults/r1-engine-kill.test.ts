/** R1, reduced (the full suite: `bun run bench:faults`). */
import { expect, test } from "bun:test";
import { engineKills } from "./engine-kill";

test.skipIf(process.platform !== "linux")("R1: SIGKILL of the engine mid-task ×3: each fails with a reason, the engine is back, the next task succeeds, no orphans", async () => {
  const r = await engineKills(3);
  expect(r.problems).toEqual([]);
}, 120_000);
