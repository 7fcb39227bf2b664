/** A crash between an image's write and its rename: the next start finishes what has a row and removes what has none. */
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commitOutput, incomingDir, recoverIncoming, stageOutput } from "../../queue/outputs";

const dir = mkdtempSync(join(tmpdir(), "ed-outputs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const templates = { folder: "$yyyy-$MM-$dd", file: "$ts-$s-$n" };
const image = (n: number) => ({ bytes: new Uint8Array([n, n, n]), format: "png" as const, width: 8, height: 8 });
const values = (imageId: string, index: number) => ({ date: new Date(2026, 10, 28), id: "t1", prompt: "a cat", seed: 5, index, imageId });

test("staged images wait in .incoming/; recovery renames those with a row and removes the rest", () => {
  const done = stageOutput(dir, templates, image(1), values("i-done", 0));
  commitOutput(done);
  const rowOnly = stageOutput(dir, templates, image(2), values("i-row", 1));
  const noRow = stageOutput(dir, templates, image(3), values("i-norow", 2));
  expect(existsSync(rowOnly.path)).toBe(false);
  expect(readdirSync(incomingDir(dir)).sort()).toEqual(["i-norow.tmp", "i-row.tmp"]);
  const rows: Record<string, string> = { "i-done": done.path, "i-row": rowOnly.path };
  expect(recoverIncoming(dir, (id) => rows[id] ?? null)).toEqual({ finished: 1, removed: 1 });
  expect([...readFileSync(rowOnly.path)]).toEqual([2, 2, 2]);
  expect(existsSync(noRow.path)).toBe(false);
  expect(readdirSync(incomingDir(dir))).toEqual([]);
  // Nothing to do the second time.
  expect(recoverIncoming(dir, (id) => rows[id] ?? null)).toEqual({ finished: 0, removed: 0 });
});
