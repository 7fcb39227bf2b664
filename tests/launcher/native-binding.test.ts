/** The webview binding the executable carries compressed: unpacked once into the cache folder, by content hash. */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unpackBinding } from "../../launcher/window/native";

const dir = mkdtempSync(join(tmpdir(), "ed-binding-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function zstFile(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, Bun.zstdCompressSync(Buffer.from(content)));
  return file;
}

test("the first start unpacks it; later ones load the same file without writing it again", () => {
  const cache = join(dir, "cache");
  const first = unpackBinding(zstFile("a.node.zst", "binding v1"), cache);
  expect(readFileSync(first, "utf8")).toBe("binding v1");
  const old = new Date(Date.now() - 60_000);
  utimesSync(first, old, old);
  expect(unpackBinding(zstFile("a.node.zst", "binding v1"), cache)).toBe(first);
  expect(statSync(first).mtimeMs).toBe(old.getTime());
  // Another build of the binding goes next to it under its own name; no temporary file is left.
  const second = unpackBinding(zstFile("b.node.zst", "binding v2"), cache);
  expect(second).not.toBe(first);
  expect(readFileSync(second, "utf8")).toBe("binding v2");
  expect(readdirSync(cache).sort()).toEqual([first, second].map((f) => f.slice(cache.length + 1)).sort());
});

test("a damaged embedded file is an error, and leaves nothing behind", () => {
  const cache = join(dir, "cache-bad");
  const bad = join(dir, "bad.node.zst");
  writeFileSync(bad, "not zstd");
  expect(() => unpackBinding(bad, cache)).toThrow();
  expect(readdirSync(cache)).toEqual([]);
});
