/**
 * Reuse the host executable when it is newer than every source it is built
 * from, otherwise compile it once (with the UI already in ui/dist). Keeps
 * the packaging tests and benchmarks from recompiling on every run.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { compileExe, outfileFor, type Target } from "../scripts/build";

const root = join(import.meta.dir, "..");
/** Not part of the executable: build outputs, tooling, tests. */
const NOT_SOURCES = new Set(["node_modules", "dist", "tests", "bench", "packaging", ".git", ".ci", "ui/dist", "shared"]);
const SOURCE_EXT = /\.(ts|tsx|js|mjs|html|css|svg|png|json|lock)$/;

/** Newest modification time (ms) of the files the executable is built from. */
export function newestSourceMtime(dir = root): number {
  let newest = 0;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      const rel = relative(root, path).split("\\").join("/");
      if (NOT_SOURCES.has(rel) || entry.name.startsWith(".")) continue;
      if (entry.isDirectory()) walk(path);
      else if (SOURCE_EXT.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(dir);
  return newest;
}

export function isFresh(exe: string, sourcesMtime = newestSourceMtime()): boolean {
  return existsSync(exe) && statSync(exe).mtimeMs > sourcesMtime;
}

/** Path of an up-to-date executable for `target` (this machine when undefined). */
export async function ensureExecutable(target?: Target): Promise<{ file: string; reused: boolean }> {
  const file = outfileFor(target);
  if (isFresh(file)) return { file, reused: true };
  if (!existsSync(join(root, "ui", "dist", "manifest.ts"))) {
    const { buildUi } = await import("../scripts/build-ui");
    await buildUi({ minify: true });
  }
  await compileExe(target);
  return { file, reused: false };
}
