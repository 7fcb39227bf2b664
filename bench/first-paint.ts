/**
 * First-paint UI JavaScript: what a built ui/dist/ makes the page fetch
 * before the shell can paint. That is each `<script type="module">` of
 * index.html and, transitively, its static imports; dynamic `import()`s
 * (tab apps other than Image, the lightbox, dialogs…) load later and are
 * not counted. Sizes are gzip level 9 of each file, summed.
 *
 * `bun bench/first-paint.ts` builds the UI (minified) and prints the figure;
 * bench/startup.ts prints it with the others.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

export interface FirstPaintJs {
  /** The files, relative to the build folder, in the order found. */
  files: { file: string; bytes: number; gzipBytes: number }[];
  bytes: number;
  gzipBytes: number;
  /** JavaScript in the build that loads later (dynamic imports), gzipped. */
  lazyGzipBytes: number;
}

/** Target from issue 19. */
export const FIRST_PAINT_GZIP_TARGET = 60 * 1024;

const transpiler = new Bun.Transpiler({ loader: "js" });

/** The first-paint JS of the build in `dist` (its index.html and the files next to it). */
export function firstPaintJs(dist: string, allJs: string[] = []): FirstPaintJs {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const entries = [...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => resolve(dist, m[1]!));
  const seen = new Set<string>();
  const queue = [...entries];
  const files: FirstPaintJs["files"] = [];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file);
    files.push({ file: relative(dist, file), bytes: code.length, gzipBytes: Bun.gzipSync(code, { level: 9 }).length });
    for (const imp of transpiler.scan(code.toString()).imports) {
      if (imp.kind === "import-statement" && imp.path.startsWith(".")) queue.push(resolve(dirname(file), imp.path));
    }
  }
  const lazy = allJs.map((f) => resolve(dist, f)).filter((f) => f.endsWith(".js") && !seen.has(f));
  return {
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
    lazyGzipBytes: lazy.reduce((sum, f) => sum + Bun.gzipSync(readFileSync(f), { level: 9 }).length, 0),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The benchmark's line: the figure, its target, and what it is made of. */
export function firstPaintLine(r: FirstPaintJs): string {
  const ok = r.gzipBytes <= FIRST_PAINT_GZIP_TARGET ? "ok" : "MISSED";
  const parts = r.files.map((f) => `${f.file} ${kb(f.gzipBytes)}`).join(", ");
  const figure = `${kb(r.gzipBytes)} (≤ ${kb(FIRST_PAINT_GZIP_TARGET)} ${ok}); ${kb(r.bytes)} minified`;
  return `  first-paint UI JS, gzipped             ${figure}; ${r.files.length} files: ${parts}; loaded later ${kb(r.lazyGzipBytes)}`;
}

if (import.meta.main) {
  const { buildUi } = await import("../scripts/build-ui");
  const files = await buildUi({ minify: true });
  console.log(firstPaintLine(firstPaintJs(join(import.meta.dir, "..", "ui", "dist"), files)));
}
