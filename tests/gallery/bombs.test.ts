/**
 * Issue 26 in the Gallery: one picture in an imported folder whose zTXt
 * inflates to 1 GB (before: every rescan failed and the pictures beside it
 * stayed unindexed) is skipped with its reason while the rest are indexed;
 * a rescan still works. Pictures whose header names more than the pixel
 * limit (PNG 16384², a JPEG SOF and a WebP VP8X saying as much) are indexed
 * from their header, and their thumbnail is refused before decoding: 422
 * `image_too_large` with the reason (before: 3.4 GB and 9.5 s in the worker).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PictureDetail, PictureSummary } from "../../gallery/picture-row";
import { pixelBomb, ztxtBomb } from "../faults/bombs";
import { startGalleryApp, tempDir, until, type GalleryApp } from "./harness";
import { png } from "./samples";

const tmp = tempDir("ed-gallery-bombs-");
const data = join(tmp.dir, "data");
const folder = join(tmp.dir, "downloaded pictures");
let app: GalleryApp;

/** A JPEG that is only SOI, a baseline SOF0 saying `side`×`side`, EOI: its header is all the limit reads. */
function jpegHeader(side: number): Uint8Array {
  return Uint8Array.of(0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, side >> 8, side & 255, side >> 8, side & 255, 1, 1, 0x11, 0, 0xff, 0xd9);
}

/** A WebP whose VP8X chunk names a `side`×`side` canvas. */
function webpHeader(side: number): Uint8Array {
  const out = new Uint8Array(30);
  out.set([0x52, 0x49, 0x46, 0x46]);
  new DataView(out.buffer).setUint32(4, 22, true);
  out.set([0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x58], 8);
  new DataView(out.buffer).setUint32(16, 10, true);
  const n = side - 1;
  out.set([n & 255, (n >> 8) & 255, n >> 16, n & 255, (n >> 8) & 255, n >> 16], 24);
  return out;
}

beforeAll(async () => {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "a.png"), png(16, 16, { parameters: "a lighthouse\nSteps: 4, Sampler: Euler, CFG scale: 1, Seed: 1, Size: 16x16, Model: tiny" }));
  writeFileSync(join(folder, "bomb.png"), await ztxtBomb());
  writeFileSync(join(folder, "huge.png"), await pixelBomb());
  writeFileSync(join(folder, "huge.jpg"), jpegHeader(60000));
  writeFileSync(join(folder, "huge.webp"), webpHeader(16384));
  writeFileSync(join(folder, "z.png"), png(16, 16, { parameters: "a harbour\nSteps: 4, Sampler: Euler, CFG scale: 1, Seed: 2, Size: 16x16, Model: tiny" }));
  app = await startGalleryApp(data);
});

afterAll(async () => {
  await app?.stop();
  tmp.remove();
});

type Finished = { total: number; added: number; skipped: number; problems: { path: string; reason: string }[]; error?: string };

async function scan(path: string, body: unknown): Promise<Finished> {
  const before = app.events.length;
  const res = await app.api(path, { method: "POST", json: body });
  expect(res.status).toBe(202);
  return until("the scan to finish", () => app.events.slice(before).find((e) => e.type === "gallery.import" && (e.data as { finished: boolean; folder: string }).finished && (e.data as { folder: string }).folder === folder)?.data as Finished);
}

async function items(): Promise<PictureDetail[]> {
  const list = ((await (await app.api("/api/gallery?limit=500")).json()) as { items: PictureSummary[] }).items;
  return Promise.all(list.map(async (i) => (await (await app.api(`/api/gallery/${i.id}`)).json()) as PictureDetail));
}

test("a metadata bomb is skipped with its reason; every other picture is indexed; a rescan works again", async () => {
  const done = await scan("/api/gallery/import", { folder });
  expect(done.error).toBeUndefined();
  expect(done).toMatchObject({ total: 6, added: 5, skipped: 1 });
  expect(done.problems).toEqual([{ path: join(folder, "bomb.png"), reason: expect.stringContaining("metadata chunk inflates to more than 4 MB") }]);
  const names = (await items()).map((i) => i.name).sort();
  expect(names).toEqual(["a.png", "huge.jpg", "huge.png", "huge.webp", "z.png"]);
  const again = await scan("/api/gallery/rescan", {});
  expect(again.error).toBeUndefined();
  expect(again).toMatchObject({ total: 6, skipped: 1 });
});

test("thumbnails of pictures over the pixel limit: 422 image_too_large, refused from the header; a normal one still made", async () => {
  const all = await items();
  for (const name of ["huge.png", "huge.jpg", "huge.webp"]) {
    const res = await app.api(`/api/gallery/${all.find((i) => i.name === name)!.id}/thumb`);
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("image_too_large");
    expect(error.message).toMatch(/at most 67 megapixels \(8192×8192\) are decoded/);
  }
  const ok = await app.api(`/api/gallery/${all.find((i) => i.name === "a.png")!.id}/thumb`);
  expect(ok.status).toBe(200);
  expect(ok.headers.get("content-type")).toBe("image/webp");
});
