/**
 * `bun scripts/screenshots.ts`: the screenshots in docs/screenshots/, taken in
 * headless Chromium by the UI tests that walk through those screens (the
 * large view of a result; a phone generating, then done) and copied here from
 * their shots folder. Run it after a UI change that alters those screens.
 */
import { copyFileSync, mkdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const shots = join(tmpdir(), "ed-ui-image-shots");
const out = join(root, "docs", "screenshots");
const wanted: [test: string, files: string[]][] = [
  ["tests/ui-image/results-view.test.ts", ["lightbox.png"]],
  ["tests/ui-image/phone.test.ts", ["phone-generating.png", "phone-done.png"]],
];

mkdirSync(out, { recursive: true });
const run = Bun.spawnSync(["bun", "test", "--timeout", "60000", ...wanted.map(([t]) => t)], { cwd: root, stdout: "inherit", stderr: "inherit" });
if (run.exitCode !== 0) process.exit(run.exitCode ?? 1);
for (const name of wanted.flatMap(([, files]) => files)) {
  copyFileSync(join(shots, name), join(out, name));
  console.log(`docs/screenshots/${name}  ${Math.round(statSync(join(out, name)).size / 1024)} KB`);
}
