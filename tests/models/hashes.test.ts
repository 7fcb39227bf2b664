/**
 * sha256 in the background: after a listing, files are hashed one at a
 * time off the request path, the next listing carries sha256 and the A1111
 * short hash, a `models.hashed` event is published, and the cache (path +
 * size + mtime) answers without reading the file again.
 */
import { afterAll, expect, test } from "bun:test";
import { closeSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { ModelList } from "../../models/library";
import { sha256File } from "../../models/hashes";
import { TELLTALES, writeSafetensors } from "./fixtures";
import { startModelsApp, tempTree } from "./harness";

const tree = tempTree("ed-hashes-");
afterAll(tree.remove);

test("sha256File matches a one-shot hash across chunk boundaries (a sparse 9 MB file with data at both ends)", async () => {
  const file = join(tree.dir, "big.bin");
  const fd = openSync(file, "w");
  writeSync(fd, Buffer.from("head"), 0, 4, 0);
  writeSync(fd, Buffer.from("tail"), 0, 4, 9 * 1024 * 1024 - 4);
  ftruncateSync(fd, 9 * 1024 * 1024);
  closeSync(fd);
  const expected = new Bun.CryptoHasher("sha256").update(await Bun.file(file).bytes()).digest("hex");
  expect(await sha256File(file)).toBe(expected);
});

test("background hashing fills sha256 and shortHash on the next listing", async () => {
  const data = join(tree.dir, "data");
  const file = join(data, "models/stable-diffusion/sd.safetensors");
  writeSafetensors(file, TELLTALES.sd1!);
  const m = await startModelsApp(data, { models: { hashInBackground: true } });
  const hashed: string[] = [];
  const off = m.app.ctx.bus.subscribe((e) => e.type === "models.hashed" && hashed.push((e.data as { sha256: string }).sha256));
  try {
    const first = (await (await m.api("/api/models")).json()) as ModelList;
    expect(first.models[0]!.sha256).toBeNull();
    await m.models.library.idle();
    const expected = new Bun.CryptoHasher("sha256").update(await Bun.file(file).bytes()).digest("hex");
    const second = (await (await m.api("/api/models")).json()) as ModelList;
    expect(second.models[0]).toMatchObject({ sha256: expected, shortHash: expected.slice(0, 10) });
    expect(second.scanning).toBe(false);
    expect(hashed).toEqual([expected]);
  } finally {
    off();
    await m.stop();
  }
});

test("no background hashing while civitai_lookup is off", async () => {
  const data = join(tree.dir, "data-off");
  writeSafetensors(join(data, "models/stable-diffusion/sd.safetensors"), TELLTALES.sd1!);
  const m = await startModelsApp(data, { config: "models:\n  civitai_lookup: false\n", models: { hashInBackground: true } });
  try {
    await m.api("/api/models");
    await m.models.library.idle();
    expect(((await (await m.api("/api/models")).json()) as ModelList).models[0]!.sha256).toBeNull();
  } finally {
    await m.stop();
  }
});
