/**
 * Loads webview-napi's native binding for this platform. The .node files are
 * required by relative path (the package's exports hide them) so that
 * `bun build --compile`, which inlines process.platform/arch for its target,
 * embeds exactly one of them. Only the window host process calls this, so
 * `--server` never loads GTK or WebKit.
 */
export type WebviewModule = typeof import("webview-napi");

export function loadWebview(): WebviewModule {
  const p = process.platform;
  const a = process.arch;
  if (p === "linux" && a === "x64") return require("../../node_modules/webview-napi/webview-napi.linux-x64-gnu.node");
  if (p === "linux" && a === "arm64") return require("../../node_modules/webview-napi/webview-napi.linux-arm64-gnu.node");
  if (p === "win32" && a === "x64") return require("../../node_modules/webview-napi/webview-napi.win32-x64-msvc.node");
  if (p === "darwin" && a === "arm64") return require("../../node_modules/webview-napi/webview-napi.darwin-arm64.node");
  if (p === "darwin" && a === "x64") return require("../../node_modules/webview-napi/webview-napi.darwin-x64.node");
  throw new Error(`no native window support for ${p}-${a}`);
}
