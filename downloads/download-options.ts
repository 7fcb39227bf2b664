/** What a caller asks of `download()` (download.ts) and what it gets back. */
import type { EventBus } from "../core/events/bus";
import type { DownloadKind, DownloadProgress } from "./progress";

export interface DownloadOptions {
  url: string;
  /** Final path of the verified file; `<dest>.part` while it downloads. */
  dest: string;
  /** Name in progress events and messages (default: the file name in the URL). */
  asset?: string;
  /** Key of this download in progress events (default: asset). */
  id?: string;
  /** Who asked for it, for the Downloads tab (default "engine"). */
  kind?: DownloadKind;
  /**
   * Extra request headers (an Authorization token). They go to the URL's own
   * origin only: a redirect to another host (a CDN) is followed without them.
   */
  headers?: Record<string, string>;
  /** Expected size in bytes, from the release. */
  size?: number;
  /** Expected sha256, hex or "sha256:<hex>". */
  sha256?: string;
  bus?: EventBus;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /**
   * Refuse URLs (and redirects) whose host is this computer or a local network
   * (fetch-guard.ts). Off for the owner's own downloads (a local mirror is
   * legitimate); on for downloads a guest device starts.
   */
  refusePrivate?: boolean;
  /** Hosts (`host[:port]`) exempt from `refusePrivate`: the ones the owner configured. */
  allowHosts?: string[];
  /** Host → addresses for `refusePrivate` (default: the system resolver); tests inject one. */
  resolve?: (host: string) => Promise<string[]>;
  /** Further tries after the first one fails (default 5). */
  retries?: number;
  /** First pause between tries; it doubles each time (default 1 s, at most 30 s). */
  backoffMs?: number;
  /** A try with no bytes for this long is aborted and retried (default 30 s). */
  stallMs?: number;
  progressIntervalMs?: number;
}

export interface DownloadResult {
  path: string;
  size: number;
  sha256: string;
  /** Bytes that came over the network, in all tries together. */
  receivedBytes: number;
  attempts: number;
}

export function normalizeSha256(digest: string | undefined): string | undefined {
  return digest?.replace(/^sha256:/i, "").toLowerCase() || undefined;
}
