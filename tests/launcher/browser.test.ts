/** The browser fallback tells the truth: an opener that fails opened nothing. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openInBrowser } from "../../core/system/opener";

let dir: string;
const savedPath = process.env.PATH;

/** PATH holding only a stand-in xdg-open with this script body. */
function opener(name: string, body: string): string {
  const bin = join(dir, name);
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return bin;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ed-browser-"));
});
afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform !== "linux")("openInBrowser", () => {
  test("an opener that exits 0 opened the URL", async () => {
    const log = join(dir, "ok.txt");
    process.env.PATH = opener("ok", `echo "$1" > '${log}'`);
    expect(await openInBrowser("http://127.0.0.1:9000/")).toBe(true);
    expect(readFileSync(log, "utf8").trim()).toBe("http://127.0.0.1:9000/");
  });

  test("xdg-open without a browser (exit 3) opened nothing", async () => {
    process.env.PATH = opener("none", "echo 'xdg-open: no method available for opening' >&2; exit 3");
    expect(await openInBrowser("http://127.0.0.1:9000/")).toBe(false);
  });

  test("no opener at all", async () => {
    process.env.PATH = join(dir, "empty");
    expect(await openInBrowser("http://127.0.0.1:9000/")).toBe(false);
  });

  test("an opener still running (a browser in the foreground) counts as opened", async () => {
    process.env.PATH = opener("slow", "exec /bin/sleep 5");
    expect(await openInBrowser("http://127.0.0.1:9000/", { waitMs: 200 })).toBe(true);
  });
});
