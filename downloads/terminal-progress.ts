/**
 * The engine download as a progress bar on a terminal (`--server`): redrawn
 * in place on a TTY, otherwise (logs, CI) a line every 10% and at least
 * every few seconds, so a slow download still shows it is alive.
 */
import type { EventBus } from "../core/events/bus";
import type { DownloadProgress } from "./progress";

const WIDTH = 30;
const LABEL: Record<DownloadProgress["kind"], string> = { engine: "Engine", model: "Model", source: "Source" };

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** One line for the engine download, e.g. `sd…vulkan.zip [#####     ] 45% 90.1/200.0 MB 52.3 MB/s ETA 2s`. */
export function formatProgress(p: DownloadProgress): string {
  if (p.phase === "installing") return `Installing ${p.asset}…`;
  if (p.phase === "installed") return `Installed ${p.asset}.`;
  if (p.phase === "failed") return `Download of ${p.asset} stopped at ${mib(p.bytes)}${p.error ? `: ${p.error.message}` : "."}`;
  if (p.phase === "cancelled") return `Download of ${p.asset} cancelled at ${mib(p.bytes)}.`;
  const frac = p.total ? Math.min(1, p.bytes / p.total) : 0;
  const filled = Math.round(frac * WIDTH);
  const bar = p.total ? `[${"#".repeat(filled)}${" ".repeat(WIDTH - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}% ` : "";
  const size = p.total ? `${mib(p.bytes)}/${mib(p.total)}` : mib(p.bytes);
  const rate = p.rate > 0 ? ` ${mib(p.rate)}/s` : "";
  const eta = p.eta !== undefined && p.phase === "downloading" ? ` ETA ${Math.ceil(p.eta)}s` : "";
  return `${LABEL[p.kind]} ${p.asset} ${bar}${size}${rate}${eta}`;
}

export interface TerminalOut {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Shows `download` events on `out`, one download at a time as they come; returns the unsubscribe function. */
export function showDownloadProgress(bus: EventBus, out: TerminalOut = process.stderr, plain: { everyMs?: number; now?: () => number } = {}): () => void {
  const { everyMs = 5000, now = Date.now } = plain;
  let lastDecile = -1;
  let lastLine = now();
  return bus.on("download", (p) => {
    const line = formatProgress(p);
    const final = p.phase !== "downloading";
    if (out.isTTY) {
      out.write(`\r\x1b[K${line}${final ? "\n" : ""}`);
      return;
    }
    const decile = p.total ? Math.floor((p.bytes / p.total) * 10) : -1;
    if (final || decile !== lastDecile || now() - lastLine >= everyMs) {
      out.write(`${line}\n`);
      lastLine = now();
    }
    lastDecile = final ? -1 : decile;
  });
}
