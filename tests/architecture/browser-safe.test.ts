/**
 * common/ is the one folder whose code runs in both the server and the
 * browser (issue 19). It may import only itself and browser-safe packages,
 * and name no Bun or Node global; the browser bundle of every file in it
 * must build for the browser target.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { appFiles, folderOf, importsOf, ROOT } from "./import-graph";

/** npm packages that run in a browser as they are. */
const BROWSER_PACKAGES = new Set(["zod"]);
const SERVER_GLOBALS = /\b(Bun|process|Buffer|require|__dirname|__filename)\b\s*[.(]|\bimport\.meta\.(dir|path|main|file)\b/;

const common = appFiles().filter((f) => folderOf(f) === "common");

/** What makes this file unsafe in a browser, one line per problem. */
export function browserProblems(file: string, text: string): string[] {
  const problems = importsOf(file, text).flatMap((e) => {
    if (e.to) return folderOf(e.to) === "common" ? [] : [`${file}:${e.line} imports ${e.spec} from outside common/`];
    return BROWSER_PACKAGES.has(e.spec) ? [] : [`${file}:${e.line} imports ${e.spec}, not a browser-safe package`];
  });
  text.split("\n").forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, "");
    if (!/^\s*\*/.test(code) && SERVER_GLOBALS.test(code)) problems.push(`${file}:${i + 1} uses a server global: ${line.trim()}`);
  });
  return problems;
}

describe("common/ is browser-safe", () => {
  test("it holds the shared modules", () => {
    expect(common.length).toBeGreaterThanOrEqual(10);
  });

  test("imports only common/ and browser-safe packages, names no Bun or Node global", () => {
    expect(common.flatMap((f) => browserProblems(f, readFileSync(join(ROOT, f), "utf8")))).toEqual([]);
  });

  test("a node import, a server folder and Bun are each named", () => {
    const text = 'import { readFileSync } from "node:fs";\nimport { x } from "../queue/queue";\nconst a = Bun.file("x");\n// Bun.file in a comment is fine\n';
    expect(browserProblems("common/x.ts", text)).toEqual([
      "common/x.ts:1 imports node:fs, not a browser-safe package",
      "common/x.ts:2 imports ../queue/queue from outside common/",
      'common/x.ts:3 uses a server global: const a = Bun.file("x");',
    ]);
  });

  test("every file bundles for the browser", async () => {
    const result = await Bun.build({ entrypoints: common.map((f) => join(ROOT, f)), target: "browser", throw: false });
    expect(result.logs.filter((l) => l.level === "error").map(String)).toEqual([]);
    expect(result.success).toBe(true);
  });
});
