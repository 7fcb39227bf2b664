/**
 * The native window (webview-napi: WebKitGTK, WebView2, WKWebView), loaded
 * lazily so `--server` never loads GTK.
 */
import type { EventBus } from "../events/bus";
import type { Logger } from "../log";

export interface OpenWindowOptions {
  url: string;
  bus: EventBus;
  log: Logger;
  onClosed: () => void;
}

export type OpenWindowResult = { ok: true; close: () => void } | { ok: false; reason: string };

export async function openWindow(opts: OpenWindowOptions): Promise<OpenWindowResult> {
  return { ok: false, reason: "window support is not built yet" };
}
