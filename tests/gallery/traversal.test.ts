/**
 * Every file route of /api/gallery refuses what lies outside the outputs
 * folder and the imported folders: odd ids, rows pointing elsewhere,
 * symlinks out of a folder (not indexed; and refused if a file is swapped
 * for one after indexing).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { revealCommand } from "../../core/system/opener";
import { startGalleryApp, tempDir, until, type GalleryApp } from "./harness";
import { png } from "./samples";

const tmp = tempDir();
const data = join(tmp.dir, "data");
const folder = join(tmp.dir, "imported");
const secret = join(tmp.dir, "secret");
let app: GalleryApp;
let outsideId: number;
let swappedId: number;

const FILE_ROUTES = (id: string | number) => [
  ["GET", `/api/gallery/${id}/file`],
  ["GET", `/api/gallery/${id}/thumb`],
  ["POST", `/api/gallery/${id}/reveal`],
] as const;

beforeAll(async () => {
  mkdirSync(folder, { recursive: true });
  mkdirSync(secret, { recursive: true });
  writeFileSync(join(secret, "private.png"), png(10, 10, { parameters: "private\nSteps: 1, Sampler: Euler, CFG scale: 1, Seed: 1, Size: 10x10, Model: m" }));
  writeFileSync(join(folder, "mine.png"), png(10, 10));
  writeFileSync(join(folder, "swapped.png"), png(10, 10));
  symlinkSync(join(secret, "private.png"), join(folder, "link.png"));
  symlinkSync(secret, join(folder, "linked-folder"));
  app = await startGalleryApp(data);
  await app.api("/api/gallery/import", { method: "POST", json: { folder } });
  await until("the import", () => app.events.some((e) => e.type === "gallery.import" && (e.data as { finished: boolean }).finished));
  // A row pointing outside every folder (as a stale or tampered index could hold).
  outsideId = app.gallery.index.put({ path: join(secret, "private.png"), root: secret, fileSize: 1, mtime: 1, format: "png", width: 10, height: 10, source: "none", settings: {} });
  swappedId = app.gallery.index.known(join(folder, "swapped.png"))!.id;
  rmSync(join(folder, "swapped.png"));
  symlinkSync(join(secret, "private.png"), join(folder, "swapped.png"));
});

afterAll(async () => {
  await app?.stop();
  tmp.remove();
});

test("symlinks out of an imported folder are not indexed", async () => {
  const { items } = (await (await app.api("/api/gallery?limit=500")).json()) as { items: { prompt: string }[] };
  expect(items.some((i) => i.prompt === "private")).toBe(false);
  expect(items).toHaveLength(3); // mine.png, swapped.png (indexed before the swap) and the injected outside row
});

test("odd ids are not found, on every route", async () => {
  for (const id of ["..%2F..%2Fetc%2Fpasswd", "%2e%2e", "1e3", "-1", "0x10", "1;DROP", "99999999"]) {
    for (const [method, path] of FILE_ROUTES(id)) expect([404]).toContain((await app.api(path, { method })).status);
    expect((await app.api(`/api/gallery/${id}`)).status).toBe(404);
  }
  expect((await app.api("/api/gallery/../../etc/passwd")).status).toBe(404);
});

test("a row pointing outside the folders is refused by every file route, delete and export", async () => {
  for (const [method, path] of FILE_ROUTES(outsideId)) {
    const res = await app.api(path, { method });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
  }
  expect((await app.api("/api/gallery/export", { method: "POST", json: { ids: [outsideId] } })).status).toBe(403);
  expect((await app.api(`/api/gallery/${outsideId}`, { method: "DELETE" })).status).toBe(403);
});

test("a file swapped for a symlink after indexing is refused", async () => {
  for (const [method, path] of FILE_ROUTES(swappedId)) expect((await app.api(path, { method })).status).toBe(403);
});

test("show in folder opens the file manager the platform has", () => {
  expect(revealCommand("/a/b/c.png", "darwin")).toEqual(["open", "-R", "/a/b/c.png"]);
  expect(revealCommand("C:\\a\\c.png", "win32")).toEqual(["explorer.exe", "/select,C:\\a\\c.png"]);
});

describe.skipIf(process.platform !== "linux")("show in folder on Linux", () => {
  const savedPath = process.env.PATH;
  afterAll(() => (process.env.PATH = savedPath));
  /** PATH holding only a stand-in xdg-open with this script body. */
  function opener(name: string, body: string) {
    const bin = join(tmp.dir, name);
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    process.env.PATH = bin;
  }
  const mine = () => app.gallery.index.known(join(folder, "mine.png"))!.id;

  test("the file manager is opened on the picture's folder", async () => {
    const log = join(tmp.dir, "opened.txt");
    opener("ok", `echo "$1" > '${log}'`);
    const res = await app.api(`/api/gallery/${mine()}/reveal`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(readFileSync(log, "utf8").trim()).toBe(folder);
  });

  test("an opener that fails, or none at all, is a 503 saying where the picture is", async () => {
    opener("fails", "exit 3");
    for (const path of [process.env.PATH!, join(tmp.dir, "empty")]) {
      process.env.PATH = path;
      const res = await app.api(`/api/gallery/${mine()}/reveal`, { method: "POST" });
      expect(res.status).toBe(503);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("no_file_manager");
      expect(error.message).toContain(folder);
    }
  });
});
