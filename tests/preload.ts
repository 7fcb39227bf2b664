/**
 * Test preload: the server imports ui/dist/manifest.ts, so build the UI
 * unless the bundle is already newer than every UI source (a rebuild under
 * a running test server would pull files from under it).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildUi } from "../scripts/build-ui";

const root = join(import.meta.dir, "..");

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) t = Math.max(t, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return t;
}

const manifest = join(root, "ui", "dist", "manifest.ts");
const sources = Math.max(newest(join(root, "ui", "src")), newest(join(root, "ui", "assets")), statSync(join(root, "ui", "index.html")).mtimeMs,
  statSync(join(root, "scripts", "build-ui.ts")).mtimeMs, newest(join(root, "queue")));
if (!existsSync(manifest) || statSync(manifest).mtimeMs < sources) await buildUi({ minify: false });
