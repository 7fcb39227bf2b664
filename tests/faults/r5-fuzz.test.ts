/** R5, reduced (the full suite, 10,000 requests, and the bombs' figures: `bun run bench:faults`). */
import { expect, test } from "bun:test";
import { pictureBombs } from "./bomb-suite";
import { canIsolate, fuzzRoutes } from "./fuzz";

/** FUZZ_SEED replays a run; without it each run draws a new seed. Either way it is printed and named in a failure. */
function fuzzSeed(given: string | undefined): number {
  if (given === undefined || given === "") return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, not "${given}"`);
  return seed;
}

test.skipIf(!canIsolate())("R5: 800 random and malformed requests over every route: no 5xx, alive, memory steady, nothing served from outside", async () => {
  const seed = fuzzSeed(process.env.FUZZ_SEED);
  console.log(`R5 fuzz seed ${seed} (replay: FUZZ_SEED=${seed} bun test tests/faults/r5-fuzz.test.ts)`);
  const r = await fuzzRoutes(800, seed);
  // The seed travels with the findings, so a failure's diff names it.
  expect({ seed, problems: r.problems }).toEqual({ seed, problems: [] });
}, 180_000);

test.skipIf(process.platform !== "linux")("R5 bombs: a 1 GB zTXt/iTXt and a 16384² PNG at every route that reads pictures, and in a Gallery folder: each a clear 4xx, the good picture indexed (figures: bench:faults)", async () => {
  const r = (await pictureBombs())!;
  // Time and memory are the benchmark's to judge (a loaded CI machine); here: the answers and the index.
  expect(r.problems.filter((p) => !/ ms \(limit| MB \(limit/.test(p))).toEqual([]);
  expect((r as typeof r & { cases: { code: string }[] }).cases.map((c) => c.code)).toEqual(["metadata_too_large", "metadata_too_large", "metadata_too_large", "metadata_too_large", "image_too_large", "image_too_large", "", "image_too_large"]);
}, 120_000);
