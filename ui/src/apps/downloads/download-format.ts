/**
 * How a download reads: "Downloading engine 45% · 12.0 MB/s · 20 s left"
 * (or "model sd15.safetensors", by the event's kind)
 * in the status bar, and bytes/total, rate and time left in the Downloads tab.
 * Pure functions of the `download` event.
 */
import type { DownloadProgress } from "../../../../downloads/progress";
import { formatEta } from "../queue/progress-format";

export type { DownloadProgress };

/** Bytes as "512 KB", "12.3 MB", "1.25 GB" (binary units, like the terminal bar). */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return "–";
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : "";
}

/** 0..1, or undefined while the size is unknown. */
export function downloadFraction(p: DownloadProgress): number | undefined {
  if (p.phase === "done" || p.phase === "installing" || p.phase === "installed") return 1;
  if (!p.total) return undefined;
  return Math.max(0, Math.min(1, p.bytes / p.total));
}

/** Still going: asked for, bytes arriving, waiting to try again, or the zip being verified and unpacked. */
export function isActive(p: DownloadProgress): boolean {
  return p.phase === "starting" || p.phase === "downloading" || p.phase === "retrying" || p.phase === "done" || p.phase === "installing";
}

/** Holds the file: a second download of it would be refused. */
export function isTaken(p: DownloadProgress): boolean {
  return p.phase === "starting" || p.phase === "downloading" || p.phase === "retrying";
}

/** Ended without the file: Retry and Remove apply. */
export function isEnded(p: DownloadProgress): boolean {
  return p.phase === "failed" || p.phase === "cancelled";
}

/** Whole seconds until the next try of a retrying download, counted from when its event came. */
export function retrySecondsLeft(e: { progress: DownloadProgress; updated: number }, now = Date.now()): number {
  const p = e.progress;
  if (p.phase !== "retrying") return 0;
  return Math.max(0, Math.ceil(((p.retryInMs ?? 0) - (now - e.updated)) / 1000));
}

/** "retrying in 3 s (try 2 of 6)", or "retrying now (try 2 of 6)". */
export function retryText(p: DownloadProgress, secondsLeft: number): string {
  const of = p.attempt && p.attempts ? ` (try ${p.attempt} of ${p.attempts})` : "";
  return secondsLeft > 0 ? `retrying in ${secondsLeft} s${of}` : `retrying now${of}`;
}

/** "45%" or "" while the size is unknown. */
export function percentText(p: DownloadProgress): string {
  const f = downloadFraction(p);
  return f === undefined ? "" : `${Math.floor(f * 100)}%`;
}

/** "20 s left", or "" while the rate or size is unknown. */
export function etaText(p: DownloadProgress): string {
  if (p.phase !== "downloading") return "";
  if (p.eta !== undefined && p.eta < 1) return "under a second left";
  const eta = formatEta(p.eta);
  return eta && `${eta} left`;
}

/** "12.3 MB / 40.0 MB" (or just the bytes when the size is unknown). */
export function sizeText(p: DownloadProgress): string {
  return p.total ? `${formatBytes(p.bytes)} / ${formatBytes(p.total)}` : formatBytes(p.bytes);
}

const PHASE_TEXT: Record<DownloadProgress["phase"], string> = {
  starting: "Starting…",
  retrying: "Waiting to retry",
  removed: "Removed",
  downloading: "Downloading",
  done: "Verified, installing…",
  installing: "Installing…",
  installed: "Installed",
  failed: "Failed", // after its retries, or at once (not there, needs a token, disk full)
  cancelled: "Cancelled",
};

export function phaseText(p: DownloadProgress): string {
  return PHASE_TEXT[p.phase] ?? p.phase;
}

/** No progress event for this long while downloading: the rate and time left are stale. */
export const STALL_MS = 5000;

/** Whole seconds without data, or 0 while bytes keep coming (or it is not downloading). */
export function stalledSeconds(e: { progress: DownloadProgress; updated: number }, now = Date.now()): number {
  const quiet = now - e.updated;
  return e.progress.phase === "downloading" && quiet >= STALL_MS ? Math.floor(quiet / 1000) : 0;
}

/** What replaces the rate and time left while no data comes. */
export function stallText(seconds: number): string {
  return `no data for ${seconds} s, still trying`;
}

/** What is downloading, by the event's kind: "engine", "model qwen.gguf", "engine source". */
export function subjectText(p: Pick<DownloadProgress, "kind" | "asset">): string {
  if (p.kind === "model") return `model ${p.asset}`;
  if (p.kind === "source") return "engine source";
  return "engine";
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The status bar's one line; `retryLeft`: seconds until the next try of a retrying one. */
export function summaryText(p: DownloadProgress, stalled = 0, retryLeft = 0): string {
  const what = subjectText(p);
  switch (p.phase) {
    case "starting":
      return `Starting the download of ${what}…`;
    case "retrying":
      return `${p.error?.message ?? "The download was interrupted"} · ${retryText(p, retryLeft)}`;
    case "removed":
      return "";
    case "downloading":
      const pace = stalled ? [stallText(stalled)] : [formatSpeed(p.rate), etaText(p)];
      return [`Downloading ${what} ${percentText(p) || formatBytes(p.bytes)}`, ...pace].filter(Boolean).join(" · ");
    case "done":
    case "installing":
      return p.kind === "model" ? `Checking ${what}…` : `Installing ${what}…`;
    case "installed":
      return `${capital(what)} installed`;
    case "failed":
      return p.error ? `${capital(what)} failed: ${p.error.message}` : `${capital(what)} download stopped at ${sizeText(p)}`;
    case "cancelled":
      return `${capital(what)} download stopped at ${sizeText(p)}`;
  }
}
