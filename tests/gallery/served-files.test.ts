/**
 * Issue 26: a file in an imported folder replaced, after it was indexed, by
 * a symlink to a private key inside that folder was served as `image/png`.
 * Served pictures are now checked on the file opened at the moment they are
 * served: inside the Gallery's folders (realpath) and a picture of the kind
 * its name and row say (sniffed from the bytes); the export zip leaves such
 * a file out. Pictures carry `Cross-Origin-Resource-Policy: same-origin`.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PictureDetail, PictureSummary } from "../../gallery/picture-row";
import { startGalleryApp, tempDir, until, type GalleryApp } from "./harness";
import { png } from "./samples";
import { unzip } from "../unzip";

const tmp = tempDir("ed-gallery-served-");
const data = join(tmp.dir, "data");
const folder = join(tmp.dir, "imported");
const outside = join(tmp.dir, "elsewhere");
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
let app: GalleryApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  mkdirSync(join(folder, ".ssh"), { recursive: true });
  mkdirSync(outside, { recursive: true });
  for (const name of ["keep.png", "swapped.png", "linked-out.png", "renamed.png"]) writeFileSync(join(folder, name), png(8, 8, { parameters: `${name}\nSteps: 1, Seed: 1, Size: 8x8` }));
  writeFileSync(join(folder, ".ssh", "id_ed25519"), KEY);
  writeFileSync(join(outside, "other.png"), png(8, 8));
  app = await startGalleryApp(data);
  const before = app.events.length;
  expect((await app.api("/api/gallery/import", { method: "POST", json: { folder } })).status).toBe(202);
  await until("the import", () => app.events.slice(before).some((e) => e.type === "gallery.import" && (e.data as { finished: boolean }).finished));
  const list = ((await (await app.api("/api/gallery?limit=50")).json()) as { items: PictureSummary[] }).items;
  for (const item of list) ids[((await (await app.api(`/api/gallery/${item.id}`)).json()) as PictureDetail).name] = item.id;
  // After indexing: swapped for links, and overwritten with something that is not a PNG.
  rmSync(join(folder, "swapped.png"));
  symlinkSync(join(folder, ".ssh", "id_ed25519"), join(folder, "swapped.png"));
  rmSync(join(folder, "linked-out.png"));
  symlinkSync(join(outside, "other.png"), join(folder, "linked-out.png"));
  writeFileSync(join(folder, "renamed.png"), KEY);
});

afterAll(async () => {
  await app?.stop();
  tmp.remove();
});

test("a picture is served with its type, nosniff and CORP same-origin", async () => {
  const res = await app.api(`/api/gallery/${ids["keep.png"]}/file`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("image/png");
  expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(new Uint8Array(await res.arrayBuffer()).subarray(1, 4)).toEqual(new TextEncoder().encode("PNG"));
});

test("swapped for a symlink to a private key inside the folder, or overwritten with one: 422 not_a_picture, the key never sent", async () => {
  for (const name of ["swapped.png", "renamed.png"]) {
    for (const query of ["", "?download=1"]) {
      const res = await app.api(`/api/gallery/${ids[name]}/file${query}`);
      const text = await res.text();
      expect({ name, status: res.status }).toEqual({ name, status: 422 });
      expect(JSON.parse(text).error.code).toBe("not_a_picture");
      expect(text).not.toContain("PRIVATE KEY");
    }
  }
});

test("swapped for a symlink to a picture outside the Gallery's folders: 403", async () => {
  const res = await app.api(`/api/gallery/${ids["linked-out.png"]}/file`);
  expect(res.status).toBe(403);
});

test("the export zip leaves out what is not the picture its row says (one outside the folders refuses the export: traversal.test.ts)", async () => {
  const res = await app.api("/api/gallery/export", { method: "POST", json: { ids: [ids["keep.png"], ids["swapped.png"], ids["renamed.png"]] } });
  expect(res.status).toBe(200);
  const entries = await unzip(new Uint8Array(await res.arrayBuffer()));
  expect([...entries.keys()].sort()).toEqual(["keep.png", "settings.json"]);
  for (const bytes of entries.values()) expect(bytes.toString("latin1")).not.toContain("PRIVATE KEY");
});
