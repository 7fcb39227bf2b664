/**
 * Importing a folder of pictures made elsewhere, through the HTTP API:
 * settings read from ED3 sidecars, A1111/Forge, sd.cpp, ComfyUI, JPEG and
 * WebP EXIF; progress on the bus; idempotent re-import; thumbnails; export
 * zip; delete to the trash and undo; a rebuild from the files after the
 * index is deleted.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import decodeWebp from "@jsquash/webp/decode.js";
import type { PictureDetail, PictureSummary } from "../../gallery/picture-row";
import { startGalleryApp, tempDir, until, type GalleryApp } from "./harness";
import { png, writeSamples } from "./samples";
import { unzip } from "../unzip";

const tmp = tempDir();
const data = join(tmp.dir, "data");
const folder = join(tmp.dir, "pictures from elsewhere");
let app: GalleryApp;
let files: Awaited<ReturnType<typeof writeSamples>>;

async function list(query = ""): Promise<{ items: PictureSummary[]; next: string | null }> {
  const res = await app.api(`/api/gallery?limit=500${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { items: PictureSummary[]; next: string | null };
}

async function detailByName(name: string): Promise<PictureDetail> {
  for (const item of (await list()).items) {
    const d = (await (await app.api(`/api/gallery/${item.id}`)).json()) as PictureDetail;
    if (d.name === name) return d;
  }
  throw new Error(`${name} is not in the gallery`);
}

async function importAndWait(dir: string) {
  const before = app.events.length;
  const res = await app.api("/api/gallery/import", { method: "POST", json: { folder: dir } });
  expect(res.status).toBe(202);
  return until("the import to finish", () => app.events.slice(before).find((e) => e.type === "gallery.import" && (e.data as { finished: boolean }).finished)?.data as { total: number; added: number; done: number });
}

beforeAll(async () => {
  mkdirSync(join(folder, "nested"), { recursive: true });
  files = await writeSamples(folder);
  writeFileSync(join(folder, "nested", "deep.png"), png(20, 20, { parameters: "deep in a folder\nSteps: 4, Sampler: Euler, CFG scale: 1, Seed: 9, Size: 20x20, Model: tiny" }));
  app = await startGalleryApp(data);
});

afterAll(async () => {
  await app?.stop();
  tmp.remove();
});

test("importing a folder indexes every picture in place with its settings, with progress", async () => {
  const done = await importAndWait(folder);
  expect(done).toMatchObject({ total: 10, done: 10, added: 10 });
  expect((await list()).items).toHaveLength(10);

  expect(await detailByName(files.a1111)).toMatchObject({
    source: "a1111",
    prompt: expect.stringContaining("a lighthouse on a cliff"),
    negative: expect.stringContaining("watermark"),
    model: "sd_xl_base_1.0",
    sampler: "dpm++2m",
    seed: 1234567890,
    loras: ["add_detail", "film_grain"],
    width: 64,
    height: 48,
  });
  expect(await detailByName(files.sdcpp)).toMatchObject({ source: "sdcpp", prompt: "a photo of a cat", seed: 42, sampler: "euler_a", model: "sd1-tiny-random-f16" });
  expect(await detailByName(files.comfy)).toMatchObject({
    source: "comfyui",
    prompt: "a comfy armchair by the fireplace",
    negative: "blurry, cold",
    seed: 8675309,
    sampler: "dpm++2m",
    model: "juggernautXL_v9",
    loras: ["pixel_art"],
    settings: { steps: 24, cfg_scale: 5.5, scheduler: "karras", width: 1024, height: 768 },
  });
  expect(await detailByName(files.ed3Txt)).toMatchObject({ source: "ed3", prompt: "an old castle\nin the mist", negative: "people", seed: 31337, model: "sd-v1-5", sampler: "euler_a", settings: { steps: 25, cfg_scale: 7.5 } });
  expect(await detailByName(files.ed3Json)).toMatchObject({ source: "ed3", prompt: "a red fox in snow", seed: 4242, model: "dreamshaper_8", sampler: "dpm++2m", loras: ["fur_detail"], settings: { loras: [{ name: "fur_detail", weight: 0.5 }] } });
  expect(await detailByName(files.jpeg)).toMatchObject({ source: "a1111", format: "jpeg", model: "flux1-dev-bnb-nf4-v2", seed: 3187654321 });
  expect(await detailByName(files.webp)).toMatchObject({ source: "a1111", format: "webp", prompt: "a glass of water on a table", model: "webp_model" });
  expect(await detailByName(files.ed3Embedded)).toMatchObject({ source: "ed3", prompt: "a paper boat", seed: 77, model: "sd-v1-5", sampler: "dpm2", settings: { steps: 15, cfg_scale: 8 } });
  expect(await detailByName(files.plain)).toMatchObject({ source: "none", prompt: "", width: 40, height: 30 });
  expect((await detailByName("deep.png")).folder).toBe(folder);

  const facets = (await (await app.api("/api/gallery/facets")).json()) as { models: string[]; loras: string[]; folders: string[] };
  expect(facets.models).toEqual(expect.arrayContaining(["juggernautXL_v9", "sd_xl_base_1.0", "dreamshaper_8"]));
  expect(facets.folders).toContain(folder);
});

test("re-importing the same folder changes nothing", async () => {
  const ids = (await list()).items.map((i) => i.id).sort();
  const again = await importAndWait(folder);
  expect(again).toMatchObject({ total: 10, added: 0 });
  expect((await list()).items.map((i) => i.id).sort()).toEqual(ids);
});

test("search and filters over HTTP", async () => {
  expect((await list("&q=armch")).items.map((i) => i.prompt)).toEqual(["a comfy armchair by the fireplace"]);
  expect((await list(`&q=${encodeURIComponent('"red fox"')}`)).items).toHaveLength(2);
  expect((await list("&model=juggernautXL_v9")).items).toHaveLength(1);
  expect((await list("&lora=pixel_art")).items).toHaveLength(1);
  expect((await app.api("/api/gallery?before=nonsense")).status).toBe(400);
  expect((await app.api("/api/gallery?from=yesterday-ish")).status).toBe(400);
});

test("day counts lay out the grid; windows below a cursor read any part of it", async () => {
  const all = (await list()).items;
  const days = (await (await app.api(`/api/gallery/days?tz=${new Date().getTimezoneOffset()}`)).json()) as { days: { day: number; count: number }[] };
  expect(days.days.reduce((n, d) => n + d.count, 0)).toBe(all.length);
  const anchor = String(all[0]!.id + 1);
  const window = ((await (await app.api(`/api/gallery?before=${anchor}&offset=3&limit=2`)).json()) as { items: PictureSummary[] }).items;
  expect(window.map((i) => i.id)).toEqual(all.slice(3, 5).map((i) => i.id));
  const filtered = (await (await app.api("/api/gallery/days?q=armchair")).json()) as { days: { count: number }[] };
  expect(filtered.days.reduce((n, d) => n + d.count, 0)).toBe(1);
  const paged = (await (await app.api("/api/gallery?limit=4")).json()) as { items: PictureSummary[]; next: string };
  expect(paged.next).toBe(String(paged.items[3]!.id));
  expect((await list(`&before=${paged.next}`)).items.map((i) => i.id)).toEqual(all.slice(4).map((i) => i.id));
});

test("a thumbnail is a small WebP made once; the original is untouched", async () => {
  const d = await detailByName(files.comfy);
  const before = createHash("sha256").update(readFileSync(d.path)).digest("hex");
  const res = await app.api(`/api/gallery/${d.id}/thumb`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("image/webp");
  const thumb = await decodeWebp((await res.arrayBuffer()) as ArrayBuffer);
  expect([thumb.width, thumb.height]).toEqual([96, 72]); // never enlarged
  const big = join(folder, "big.png");
  writeFileSync(big, png(1024, 512));
  await importAndWait(folder);
  const bigId = (await detailByName("big.png")).id;
  const bigThumb = await decodeWebp((await (await app.api(`/api/gallery/${bigId}/thumb`)).arrayBuffer()) as ArrayBuffer);
  expect([bigThumb.width, bigThumb.height]).toEqual([256, 128]);
  expect(createHash("sha256").update(readFileSync(d.path)).digest("hex")).toBe(before);
  const again = await app.api(`/api/gallery/${bigId}/thumb`);
  expect(again.status).toBe(200);
  rmSync(big);
  await importAndWait(folder);
  expect((await app.api(`/api/gallery/${bigId}`)).status).toBe(404);
});

test("a file that is not a picture under a picture name gets a clear error for its thumbnail", async () => {
  writeFileSync(join(folder, "broken.png"), png(8, 8).subarray(0, 60));
  await importAndWait(folder);
  const broken = await detailByName("broken.png");
  const res = await app.api(`/api/gallery/${broken.id}/thumb`);
  expect(res.status).toBe(422);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("thumbnail_failed");
  rmSync(join(folder, "broken.png"));
  await importAndWait(folder);
});

test("the full file, and a download", async () => {
  const d = await detailByName(files.jpeg);
  const res = await app.api(`/api/gallery/${d.id}/file?download=1`);
  expect(res.headers.get("content-type")).toBe("image/jpeg");
  expect(res.headers.get("content-disposition")).toContain("forge.jpg");
  expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array(readFileSync(d.path)));
});

test("favourite by PATCH", async () => {
  const d = await detailByName(files.webp);
  const res = await app.api(`/api/gallery/${d.id}`, { method: "PATCH", json: { favourite: true } });
  expect(((await res.json()) as PictureDetail).favourite).toBe(true);
  expect((await list("&favourites=1")).items.map((i) => i.id)).toEqual([d.id]);
  expect((await app.api(`/api/gallery/${d.id}`, { method: "PATCH", json: { favourite: "yes" } })).status).toBe(400);
});


test("export: a zip of the pictures as they are and a JSON of their settings", async () => {
  const a = await detailByName(files.a1111);
  const c = await detailByName(files.comfy);
  const res = await app.api("/api/gallery/export", { method: "POST", json: { ids: [a.id, c.id] } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/zip");
  const entries = await unzip(new Uint8Array(await res.arrayBuffer()));
  expect([...entries.keys()].sort()).toEqual([files.comfy, files.a1111, "settings.json"].sort());
  expect(entries.get(files.a1111)!.equals(readFileSync(a.path))).toBe(true);
  const settings = JSON.parse(entries.get("settings.json")!.toString()) as { file: string; settings: { seed: number } }[];
  expect(settings.find((s) => s.file === files.comfy)!.settings.seed).toBe(8675309);
  expect((await app.api("/api/gallery/export", { method: "POST", json: { ids: [] } })).status).toBe(400);
  expect((await app.api("/api/gallery/export", { method: "POST", json: { ids: [999999] } })).status).toBe(404);
});

test("delete moves the file to the trash; undo brings it back", async () => {
  const d = await detailByName(files.sdcpp);
  const res = await app.api(`/api/gallery/${d.id}`, { method: "DELETE" });
  expect(res.status).toBe(200);
  const { undo, deleted } = (await res.json()) as { undo: string; deleted: number[] };
  expect(deleted).toEqual([d.id]);
  expect(existsSync(d.path)).toBe(false);
  expect(existsSync(join(data, "test-trash", files.sdcpp))).toBe(true);
  expect((await app.api(`/api/gallery/${d.id}`)).status).toBe(404);
  expect(app.events.some((e) => e.type === "gallery.removed" && (e.data as { ids: number[] }).ids.includes(d.id))).toBe(true);

  const restored = await app.api("/api/gallery/undo", { method: "POST", json: { undo } });
  expect(restored.status).toBe(200);
  expect(existsSync(d.path)).toBe(true);
  expect((await detailByName(files.sdcpp)).seed).toBe(42);
  expect((await app.api("/api/gallery/undo", { method: "POST", json: { undo } })).status).toBe(404);

  const many = [(await detailByName(files.a1111)).id, (await detailByName(files.jpeg)).id];
  const bulk = (await (await app.api("/api/gallery/delete", { method: "POST", json: { ids: many } })).json()) as { undo: string; deleted: number[] };
  expect(bulk.deleted.sort()).toEqual(many.sort());
  await app.api("/api/gallery/undo", { method: "POST", json: { undo: bulk.undo } });
  expect((await list()).items).toHaveLength(10);
});

test("import refuses what is not a folder", async () => {
  expect((await app.api("/api/gallery/import", { method: "POST", json: { folder: join(tmp.dir, "missing") } })).status).toBe(400);
  expect((await app.api("/api/gallery/import", { method: "POST", json: { folder: join(folder, files.plain) } })).status).toBe(400);
  expect((await app.api("/api/gallery/import", { method: "POST", json: {} })).status).toBe(400);
});

test("the index is rebuilt from the files after it is deleted; favourites stay", async () => {
  const favourite = await detailByName(files.webp);
  await app.stop();
  const indexFile = join(data, "cache", "gallery", "index.db");
  expect(existsSync(indexFile)).toBe(true);
  for (const f of [indexFile, `${indexFile}-wal`, `${indexFile}-shm`]) rmSync(f, { force: true });
  writeFileSync(join(folder, "added by hand.png"), png(16, 16, { parameters: "added by hand\nSteps: 4, Sampler: Euler, CFG scale: 1, Seed: 1, Size: 16x16, Model: tiny" }));
  rmSync(join(folder, "nested", "deep.png"));
  app = await startGalleryApp(data, { rescanOnStart: true });
  await until("the rescan", async () => (await list()).items.length === 10);
  expect((await list("&q=hand")).items).toHaveLength(1);
  expect((await list("&q=deep")).items).toHaveLength(0);
  expect((await detailByName(files.comfy)).seed).toBe(8675309);
  expect((await list("&favourites=1")).items.map((i) => i.prompt)).toEqual([favourite.prompt]);
}, 30_000);

test("a damaged index file is set aside and rebuilt; the app starts", async () => {
  await app.stop();
  const indexFile = join(data, "cache", "gallery", "index.db");
  for (const f of [`${indexFile}-wal`, `${indexFile}-shm`]) rmSync(f, { force: true });
  writeFileSync(indexFile, "this is not a database ".repeat(200));
  app = await startGalleryApp(data, { rescanOnStart: true });
  await until("the rescan", async () => (await list()).items.length === 10);
  expect(existsSync(`${indexFile}.damaged`)).toBe(true);
}, 30_000);
