/**
 * `bun run bench:faults`: the fault and abuse suites at full size, one line of
 * figures each (tests/faults/ runs them reduced in `bun run test`).
 *   R1 engine SIGKILL mid-task ×20 · R2 launcher SIGKILL ×10 · R3 launcher SIGKILL
 *   while writing ×10 · R4 download faults ×100 · R5 10,000 random requests and the
 *   picture bombs (zTXt/iTXt 1 GB, 16384² PNG: time and peak memory of each) ·
 *   R6 strangers (1,000 brute-force guesses; guests with the token on every owner route) · R7 50 SSE clients, 200 tasks
 * `-- R4 R7` runs only those.
 */
import { downloadFaults } from "../tests/faults/download-faults";
import { engineKills } from "../tests/faults/engine-kill";
import { pictureBombs } from "../tests/faults/bomb-suite";
import { canIsolate, fuzzRoutes } from "../tests/faults/fuzz";
import { launcherKillsData, launcherKillsOrphans } from "../tests/faults/launcher-kill";
import { loadSuite } from "../tests/faults/load";
import { strangers } from "../tests/faults/strangers";
import type { SuiteResult } from "../tests/faults/suite";

const linux = process.platform === "linux";
const SUITES: Record<string, () => Promise<SuiteResult | string | (SuiteResult | string)[]>> = {
  R1: async () => (linux ? engineKills(20) : "R1 skipped (needs Linux)"),
  R2: async () => (linux ? launcherKillsOrphans(10) : "R2 skipped (needs Linux)"),
  R3: async () => (linux ? launcherKillsData(10) : "R3 skipped (needs Linux)"),
  R4: () => downloadFaults(100),
  R5: async () => [
    canIsolate() ? await fuzzRoutes(10_000, 1) : "R5 skipped (needs unshare -n: Linux as root)",
    (await pictureBombs()) ?? "R5 bombs skipped (needs Linux /proc)",
  ],
  R6: () => strangers(1_000),
  R7: () => loadSuite(50, 200),
};

const wanted = process.argv.slice(2).filter((a) => a in SUITES);
let failed = 0;
for (const name of wanted.length ? wanted : Object.keys(SUITES)) {
  const started = performance.now();
  const results = [await SUITES[name]!()].flat();
  const took = `(${((performance.now() - started) / 1000).toFixed(1)} s)`;
  for (const r of results) {
    if (typeof r === "string") {
      console.log(`${r} ${took}`);
      continue;
    }
    console.log(`${r.ok ? "ok  " : "FAIL"} ${r.line} ${took}`);
    for (const p of r.problems.slice(0, 5)) console.log(`       ${p}`);
    if (!r.ok) failed++;
  }
}
process.exit(failed ? 1 : 0);
