/** R2 and R3, reduced (the full suites: `bun run bench:faults`). */
import { expect, test } from "bun:test";
import { launcherKillsData, launcherKillsOrphans } from "./launcher-kill";

test.skipIf(process.platform !== "linux")("R2: SIGKILL of the launcher ×2 leaves no engine after 3 s", async () => {
  const r = await launcherKillsOrphans(2);
  expect(r.problems).toEqual([]);
}, 120_000);

test.skipIf(process.platform !== "linux")("R3: SIGKILL of the launcher while pictures are written ×3: nothing lost, nothing unindexed, nothing half-written", async () => {
  const r = await launcherKillsData(3);
  expect(r.problems).toEqual([]);
}, 180_000);
