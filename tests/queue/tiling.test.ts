/**
 * Seamless tiling through the real queue on the stand-in engine: `tiling`
 * becomes sd-server's circular padding start-up flag, part of the model set,
 * so tasks are grouped by it and the engine restarts only between groups;
 * every flag the stand-in received is one the recorded `sd-server --help`
 * lists; the picture's metadata says "Tiling" and reads back.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readImageMetadata } from "../../queue/metadata/read";
import { parseInfotext } from "../../queue/metadata/infotext";
import { infotextToSettings } from "../../queue/metadata/settings";
import { standin, startQueueApp, tempData, waitState, type QueueApp } from "./harness";

setDefaultTimeout(90_000);
const data = tempData("ed-tiling-");
let q: QueueApp | undefined;
afterAll(async () => {
  await q?.stop();
  data.remove();
});

const request = { prompt: "stone wall texture", model: "sd-test.safetensors", seed: 7, steps: 2, width: 64, height: 64 };
const help = readFileSync(join(import.meta.dir, "../fixtures/sd-server/sd-server-help.txt"), "utf8");
const listed = (flag: string) => new RegExp(`(^|[ ,])${flag.replace(/-/g, "\\-")}[ ,<\\n]`, "m").test(help);

test("tiled and plain tasks are grouped by the circular flag; the flags are the recorded help's", async () => {
  const build = standin(data.dir);
  q = await startQueueApp(data.dir, build);
  await q.api("/api/queue", { method: "PATCH", json: { paused: true } });
  const ids: string[] = [];
  for (const tiling of ["none", "xy", "none", "xy", "x"]) {
    const res = await q.api("/api/tasks", { method: "POST", json: { ...request, tiling } });
    expect(res.status).toBe(202);
    ids.push(((await res.json()) as { id: string }).id);
  }
  await q.api("/api/queue", { method: "PATCH", json: { paused: false } });
  for (const id of ids) expect((await waitState(q, id, ["succeeded", "failed"])).state).toBe("succeeded");

  const starts = readFileSync(join(build.dir, "argv.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]);
  const circular = starts.map((argv) => argv.filter((a) => a.startsWith("--circular")).join(" ") || "none");
  // Three model sets (none, xy, x): three starts, not five.
  expect(circular.sort()).toEqual(["--circular", "--circularx", "none"]);
  for (const argv of starts) for (const flag of argv.filter((a) => a.startsWith("-"))) expect(listed(flag)).toBe(true);

  const task = await waitState(q, ids[1]!, ["succeeded"]);
  const image = (task as unknown as { images: { id: string }[] }).images[0]!;
  const file = await q.api(`/api/images/${image.id}`);
  const meta = readImageMetadata(new Uint8Array(await file.arrayBuffer()));
  expect(meta.parameters).toContain("Tiling: True");
  expect(meta.settings.tiling).toBe("xy");
  expect(infotextToSettings(parseInfotext(meta.parameters!)).tiling).toBe("xy");
});

test("an unknown tiling value is a clear 400", async () => {
  const res = await q!.api("/api/tasks", { method: "POST", json: { ...request, tiling: "diagonal" } });
  expect(res.status).toBe(400);
});
