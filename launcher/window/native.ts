/**
 * Loads webview-napi's native binding for this platform. The .node files are
 * required by relative path (the package's exports hide them) so that
 * `bun build --compile`, which inlines process.platform/arch for its target,
 * embeds exactly one of them. Only the window host process calls this, so
 * `--server` never loads GTK or WebKit.
 *
 * The executable carries the binding zstd-compressed (scripts/build.ts, ~7 MB
 * → ~2 MB): the first window unpacks it into the cache folder under a name
 * made of its hash, later ones load that file as it is.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type WebviewModule = typeof import("webview-napi");

/** Set by scripts/build.ts (`--define`): the binding is embedded compressed. */
declare const EMBEDDED_WEBVIEW_ZST: boolean | undefined;

export function loadWebview(cacheDir: string): WebviewModule {
  const p = process.platform;
  const a = process.arch;
  // Both lists inside one if/else: the bundler leaves out the requires of a branch it decides while parsing,
  // but not those of a function nobody calls.
  if (typeof EMBEDDED_WEBVIEW_ZST !== "undefined" && EMBEDDED_WEBVIEW_ZST) {
    const unpacked = (zst: string): WebviewModule => require(unpackBinding(zst, cacheDir));
    if (p === "linux" && a === "x64") return unpacked(require("../../dist/webview/webview-napi.linux-x64-gnu.node.zst"));
    if (p === "linux" && a === "arm64") return unpacked(require("../../dist/webview/webview-napi.linux-arm64-gnu.node.zst"));
    if (p === "win32" && a === "x64") return unpacked(require("../../dist/webview/webview-napi.win32-x64-msvc.node.zst"));
    if (p === "darwin" && a === "arm64") return unpacked(require("../../dist/webview/webview-napi.darwin-arm64.node.zst"));
    if (p === "darwin" && a === "x64") return unpacked(require("../../dist/webview/webview-napi.darwin-x64.node.zst"));
  } else {
    if (p === "linux" && a === "x64") return require("../../node_modules/webview-napi/webview-napi.linux-x64-gnu.node");
    if (p === "linux" && a === "arm64") return require("../../node_modules/webview-napi/webview-napi.linux-arm64-gnu.node");
    if (p === "win32" && a === "x64") return require("../../node_modules/webview-napi/webview-napi.win32-x64-msvc.node");
    if (p === "darwin" && a === "arm64") return require("../../node_modules/webview-napi/webview-napi.darwin-arm64.node");
    if (p === "darwin" && a === "x64") return require("../../node_modules/webview-napi/webview-napi.darwin-x64.node");
  }
  throw new Error(`no native window support for ${p}-${a}`);
}

/** The unpacked binding in `cacheDir`, written once (atomically: two windows may start together). */
export function unpackBinding(zstFile: string, cacheDir: string): string {
  const zst = readFileSync(zstFile);
  const file = join(cacheDir, `webview-napi-${Bun.hash(zst).toString(36)}.node`);
  if (existsSync(file)) return file;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Bun.zstdDecompressSync(zst));
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    // Another window unpacked it first (Windows refuses to replace a loaded library).
    if (!existsSync(file)) throw err;
  }
  return file;
}
