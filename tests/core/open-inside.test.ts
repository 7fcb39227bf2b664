/** Serving a file from the descriptor that was checked (core/files/open-inside.ts) with Range (core/server/ranged.ts). */
import { afterAll, expect, test } from "bun:test";
import { closeSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { openInside } from "../../core/files/open-inside";
import { rangedFile } from "../../core/server/ranged";

const dir = mkdtempSync(join(tmpdir(), "ed-open-inside-"));
const folder = join(dir, "outputs");
mkdirSync(folder);
const bytes = new Uint8Array(40 * 1024 * 1024).map((_, i) => i % 253);
writeFileSync(join(folder, "clip.webm"), bytes);
writeFileSync(join(dir, "secret.txt"), "outside");
symlinkSync(join(dir, "secret.txt"), join(folder, "link.webm"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openFds = () => readdirSync("/proc/self/fd").length;

test("a file inside opens; a link out, a folder and a missing file do not", () => {
  const opened = openInside(join(folder, "clip.webm"), [folder]);
  expect(opened).toMatchObject({ size: bytes.length });
  if (opened && opened !== "outside") closeSync(opened.fd);
  expect(openInside(join(folder, "link.webm"), [folder])).toBe("outside");
  expect(openInside(folder, [dir])).toBe("outside");
  expect(openInside(join(folder, "gone.webm"), [folder])).toBeNull();
});

test("ranges from the opened file: closed, suffix, open-ended (at most 16 MiB each), past the end; every descriptor closed", async () => {
  const app = new Hono().get("/clip", (c) => rangedFile(c, openInside(join(folder, "clip.webm"), [folder]) as { fd: number; size: number }, "video/webm"));
  const get = (range?: string) => app.request("/clip", { headers: range ? { range } : {} });
  const before = openFds();
  const closed = await get("bytes=10-19");
  expect([closed.status, closed.headers.get("content-range")]).toEqual([206, `bytes 10-19/${bytes.length}`]);
  expect([...new Uint8Array(await closed.arrayBuffer())]).toEqual([...bytes.subarray(10, 20)]);
  const suffix = await get("bytes=-5");
  expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 5));
  const open = await get("bytes=1000-");
  expect([open.status, open.headers.get("content-range")]).toEqual([206, `bytes 1000-${1000 + 16 * 1024 * 1024 - 1}/${bytes.length}`]);
  expect((await open.arrayBuffer()).byteLength).toBe(16 * 1024 * 1024);
  expect((await get(`bytes=${bytes.length}-`)).status).toBe(416);
  const all = await get();
  expect([all.status, (await all.arrayBuffer()).byteLength]).toEqual([200, bytes.length]);
  expect(openFds()).toBe(before);
});
