/**
 * Seamless tiling through the real queue on the stand-in engine: `tiling`
 * becomes sd-server's circular padding start-up flag, part of the model set,
 * so tasks are grouped by it and the engine restarts only between groups;
 * every flag the stand-in received is one the recorded `sd-server --help`
 * lists; the picture's metadata says "Tiling" and reads back. A hires fix
 * through an ESRGAN model in
 * models/realesrgan starts the engine with --hires-upscalers-dir and names
 * the model by its stem, as sd-server resolves it.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readImageMetadata } from "../../pictures/metadata/read";
import { parseInfotext } from "../../common/infotext";
import { infotextToSettings } from "../../common/infotext-settings";
import { searchPath } from "../../models/roots";
import { resolveModels } from "../../models/resolve";
import { resolvePaths } from "../../core/paths";
import { readEnv } from "../../core/env";
import { imageRequestSchema, resolveRequest } from "../../common/image-request";
import { translate } from "../../queue/translate";
import { standin, startQueueApp, tempData, waitState, type QueueApp } from "./harness";

setDefaultTimeout(90_000);
const data = tempData("ed-tiling-");
let q: QueueApp | undefined;
let standinDir = "";
afterAll(async () => {
  await q?.stop();
  data.remove();
});

const request = { prompt: "stone wall texture", model: "sd-test.safetensors", seed: 7, steps: 2, width: 64, height: 64 };
const help = readFileSync(join(import.meta.dir, "../fixtures/sd-server/sd-server-help.txt"), "utf8");
const listed = (flag: string) => new RegExp(`(^|[ ,])${flag.replace(/-/g, "\\-")}[ ,<\\n]`, "m").test(help);

test("tiled and plain tasks are grouped by the circular flag; the flags are the recorded help's", async () => {
  const build = standin(data.dir);
  standinDir = build.dir;
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

test("Upscale through an ESRGAN model: --hires-upscalers-dir at start, the model's stem in the body, metadata says so", async () => {
  const dir = join(data.dir, "models", "realesrgan");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "RealESRGAN_x4plus.pth"), new Uint8Array(64));
  const hires = { scale: 2, upscaler: "RealESRGAN_x4plus.pth", denoising_strength: 0.25 };
  const r = resolveRequest(imageRequestSchema.parse({ ...request, hires }), { format: "png", quality: 90 });
  const { modelSet, body } = translate(r, resolveModels(searchPath(resolvePaths({ ...readEnv({}), edHome: undefined }, { dataDir: data.dir })), r));
  expect(modelSet.upscalersDir).toBe(dir);
  expect(body.hires).toMatchObject({ enabled: true, upscaler: "RealESRGAN_x4plus", scale: 2, denoising_strength: 0.25 });

  const before = readFileSync(join(standinDir, "argv.jsonl"), "utf8").trim().split("\n").length;
  const res = await q!.api("/api/tasks", { method: "POST", json: { ...request, hires } });
  expect(res.status).toBe(202);
  const id = ((await res.json()) as { id: string }).id;
  const done = (await waitState(q!, id, ["succeeded", "failed"])) as unknown as { state: string; images: { id: string }[] };
  expect(done.state).toBe("succeeded");
  const starts = readFileSync(join(standinDir, "argv.jsonl"), "utf8").trim().split("\n").slice(before).map((l) => JSON.parse(l) as string[]);
  const last = starts.at(-1)!;
  expect(last[last.indexOf("--hires-upscalers-dir") + 1]).toBe(dir);
  for (const flag of last.filter((a) => a.startsWith("-"))) expect(listed(flag)).toBe(true);
  const meta = readImageMetadata(new Uint8Array(await (await q!.api(`/api/images/${done.images[0]!.id}`)).arrayBuffer()));
  expect(meta.parameters).toContain("Hires upscaler: RealESRGAN_x4plus.pth");
  expect(meta.parameters).toContain("Hires upscale: 2");
});

test("an upscaler model that is not in models/realesrgan is refused at submit", async () => {
  const res = await q!.api("/api/tasks", { method: "POST", json: { ...request, hires: { upscaler: "Nope_x4.pth" } } });
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
});
