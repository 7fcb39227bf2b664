/**
 * The queue runs task kinds it does not know by name: nothing under queue/
 * imports upscale/ (types included), and models/, below the queue, imports
 * nothing of queue/ or upscale/ (it learns what tasks used through
 * models/use.ts). A focused check; the whole-tree import graph has its own test.
 */
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dir, "../..");

function sources(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Every relative module a file names: static imports and exports (type-only too), side-effect imports, dynamic import(). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const pattern = /\bfrom\s+["']([^"']+)["']|\bimport\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;
  const specs = [...text.matchAll(pattern)].map((m) => m[1] ?? m[2] ?? m[3]!);
  return specs.filter((s) => s.startsWith(".")).map((s) => relative(root, resolve(dirname(file), s)));
}

function upward(folder: string, above: string[]): string[] {
  const isAbove = (target: string) => above.some((a) => target === a || target.startsWith(`${a}/`));
  return sources(folder).flatMap((file) => importsOf(file).filter(isAbove).map((target) => `${relative(root, file)} → ${target}`));
}

test("the import finder sees type-only, side-effect and dynamic imports", () => {
  const probe = join(root, "queue/queue.ts");
  expect(importsOf(probe)).toContain("models/hashes");
  expect(importsOf(probe)).toContain("queue/events");
});

test("queue/ imports nothing of upscale/", () => {
  expect(upward("queue", ["upscale"])).toEqual([]);
});

test("models/ imports nothing of queue/ or upscale/", () => {
  expect(upward("models", ["queue", "upscale"])).toEqual([]);
});
