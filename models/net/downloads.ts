/**
 * Model downloads: a file from Hugging Face, Civitai or any URL into its kind's
 * folder, through the shared downloader (resume, retries, stall, cancel, disk
 * full, sha256). The expected sha256 comes from the source: the catalogue or a
 * search result, or Hugging Face's X-Linked-Etag for an LFS file. A catalogue
 * file may have several sources, tried in order: only an answer that says the
 * file is not there for us (401/403/404/410) moves on to the next; any other
 * failure (a size or sha256 mismatch included) ends the download as before, so
 * a wrong file is never accepted from a later source. Progress names the
 * source in use. Tokens go to their own host only. A finished file is checked to be a model before it is
 * moved into place; only then is `installed` published.
 */
import { guardedFetch } from "../../downloads/fetch-guard";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { download } from "../../downloads/download";
import { DownloadError } from "../../downloads/errors";
import type { DownloadProgress } from "../../downloads/progress";
import type { EventBus } from "../../core/events/bus";
import { insidePath } from "../../core/files/inside";
import type { Logger } from "../../core/log";
import { modelDir, type ModelKind, type Paths } from "../../core/paths";
import { identifyFile } from "../identify-file";
import { sourceLabel } from "./catalog";
import type { DownloadSources } from "./download-sources";
import { NamedError } from "../../core/server/errors";

export interface ModelSource {
  url: string;
  /** Needs a Hugging Face token and the licence accepted. */
  gated?: boolean;
}

export interface ModelFileSpec {
  /** The first source. */
  url: string;
  /** Every source, in order (default: just `url`). */
  sources?: ModelSource[];
  kind: ModelKind;
  /** File name in the kind's folder. */
  name: string;
  sha256?: string;
  /** Exact bytes when `sha256` is given; else approximate, for the progress bar only. */
  size?: number;
}

/** The answers that mean "not here for us": the next source is tried. */
const NEXT_SOURCE = new Set(["unauthorized", "not_available"]);

export interface Hosts {
  huggingface: string;
  civitai: string;
  huggingfaceToken: string;
  civitaiToken: string;
}

export class DownloadConflictError extends NamedError {
  override name = "DownloadConflictError";
  override readonly code = "conflict";
  override readonly status = 409;
}

const isSha = (s: string | undefined): s is string => !!s && /^[0-9a-f]{64}$/.test(s);

/** The Authorization header for a URL on Hugging Face or Civitai when a token is set; none for other hosts. */
export function authFor(url: string, hosts: Hosts): Record<string, string> {
  const origin = new URL(url).origin;
  if (hosts.huggingfaceToken && origin === new URL(hosts.huggingface).origin) return { authorization: `Bearer ${hosts.huggingfaceToken}` };
  if (hosts.civitaiToken && origin === new URL(hosts.civitai).origin) return { authorization: `Bearer ${hosts.civitaiToken}` };
  return {};
}

/** A download's failure as a sentence the card can show. */
export function failureText(err: unknown, spec: Pick<ModelFileSpec, "url">, hosts: Hosts): { code: string; message: string } {
  const site = spec.url.startsWith(hosts.huggingface) ? "Hugging Face" : spec.url.startsWith(hosts.civitai) ? "Civitai" : new URL(spec.url).host;
  if (err instanceof DownloadError && err.code === "unauthorized")
    return {
      code: "needs_token",
      message: `${site} answered ${err.httpStatus}: accept the licence on the model's page or add a token in Settings → Models`,
    };
  if (err instanceof DownloadError && err.code === "not_available")
    return { code: "not_found", message: `${site} has no file at that address (HTTP ${err.httpStatus})` };
  if (err instanceof DownloadError) return { code: err.code, message: err.message };
  return { code: "download_failed", message: (err as Error)?.message ?? String(err) };
}

/** The model sites' hosts as configured (`host[:port]`): trusted by the owner's choice even on a local network. */
const configuredHosts = (hosts: Hosts): string[] => [hosts.huggingface, hosts.civitai].flatMap((u) => {
  try {
    return [new URL(u).host];
  } catch {
    return [];
  }
});

export class ModelDownloads {
  #running = new Map<string, { spec: ModelFileSpec; abort: AbortController }>();
  #last = new Map<string, DownloadProgress>();
  /** What each download that ended without the file asked for, so Retry can ask again. */
  #ended = new Map<string, { spec: ModelFileSpec; refusePrivate: boolean }>();

  constructor(
    readonly deps: {
      paths: Paths;
      bus: EventBus;
      hosts: () => Hosts;
      fetch?: typeof fetch;
      log?: Logger;
      retries?: number;
      backoffMs?: number;
      /** Remembers where each installed file came from (Hugging Face), for workers to fetch it there too. */
      sources?: DownloadSources;
    },
  ) {}

  /** Where the file goes; null when its name would leave the folder. */
  destination(spec: Pick<ModelFileSpec, "kind" | "name">): string | null {
    return insidePath(modelDir(this.deps.paths, spec.kind), spec.name);
  }

  /**
   * Starts a download; its progress goes on the bus under the returned id.
   * `refusePrivate`: the URL and every redirect must not lead to this computer
   * or a local network (downloads a guest device starts), the configured
   * Hugging Face and Civitai hosts excepted (the owner chose them, a LAN mirror
   * included); off for the owner. http(s) only at every hop either way.
   */
  start(spec: ModelFileSpec, options: { refusePrivate?: boolean } = {}): string {
    const dest = this.destination(spec);
    if (!dest) throw new DownloadConflictError(`${spec.name}: not a plain file name`);
    if (existsSync(dest)) throw new DownloadConflictError(`${spec.kind}/${spec.name} is installed already`);
    if ([...this.#running.values()].some((r) => r.spec.kind === spec.kind && r.spec.name === spec.name))
      throw new DownloadConflictError(`${spec.kind}/${spec.name} is downloading already`);
    const id = `m-${spec.kind}-${spec.name}`;
    const abort = new AbortController();
    this.#running.set(id, { spec, abort });
    this.#ended.delete(id);
    // Said at once, so every page shows this file as taken before the first byte (or the first failure).
    this.#publish({ id, kind: "model", asset: spec.name, bytes: 0, total: spec.size, rate: 0, phase: "starting" });
    void this.#run(id, spec, dest, abort.signal, options.refusePrivate === true).finally(() => this.#running.delete(id));
    return id;
  }

  list(): DownloadProgress[] {
    return [...this.#last.values()];
  }

  /** Starts again a download that failed or was cancelled; its id, or null when there is none such. */
  retry(id: string, options: { refusePrivate?: boolean } = {}): string | null {
    const ended = this.#ended.get(id);
    // A guest's retry stays a guest's download (no private addresses), as does a retry of one.
    return ended ? this.start(ended.spec, { refusePrivate: ended.refusePrivate || options.refusePrivate === true }) : null;
  }

  /** Takes an ended download off the list (every page hears `removed`); false while it runs or when unknown. */
  remove(id: string): boolean {
    if (this.#running.has(id) || !this.#last.has(id)) return false;
    const last = this.#last.get(id)!;
    this.#last.delete(id);
    this.#ended.delete(id);
    this.deps.bus.publish("download", { id, kind: last.kind, asset: last.asset, bytes: 0, rate: 0, phase: "removed" });
    return true;
  }

  cancel(id: string): boolean {
    const r = this.#running.get(id);
    r?.abort.abort();
    return !!r;
  }

  stop(): void {
    for (const r of this.#running.values()) r.abort.abort();
  }

  #publish(p: DownloadProgress) {
    this.#last.set(p.id, p);
    this.deps.bus.publish("download", p);
  }

  async #run(id: string, spec: ModelFileSpec, dest: string, signal: AbortSignal, refusePrivate: boolean) {
    const hosts = this.deps.hosts();
    const base = { id, kind: "model" as const, asset: spec.name };
    // Verified under downloads/ first: a file that is not a model never reaches the model folder.
    const staged = join(this.deps.paths.downloads, "models", spec.kind, spec.name);
    const sources = spec.sources?.length ? spec.sources : [{ url: spec.url }];
    let tried = sources[0]!.url;
    try {
      let result: Awaited<ReturnType<typeof download>> | undefined;
      for (const [i, src] of sources.entries()) {
        tried = src.url;
        try {
          result = await this.#fetchFrom(id, spec, src.url, staged, signal, hosts, refusePrivate);
          break;
        } catch (err) {
          const last = i === sources.length - 1;
          if (signal.aborted || last || !(err instanceof DownloadError) || !NEXT_SOURCE.has(err.code)) throw err;
          this.deps.log?.info("models: source not available, trying the next", {
            name: spec.name,
            url: src.url,
            status: err.httpStatus,
            next: sources[i + 1]!.url,
          });
        }
      }
      const identity = identifyFile(staged);
      if (identity.detected === null && identity.problem) {
        rmSync(staged, { force: true });
        throw new DownloadError("verify_failed", `${spec.name} is not a model file (${identity.problem}); it was deleted`);
      }
      mkdirSync(modelDir(this.deps.paths, spec.kind), { recursive: true });
      renameSync(staged, dest);
      this.deps.sources?.remember(result!.sha256, tried, hosts.huggingface);
      this.#publish({ ...base, bytes: result!.size, total: result!.size, rate: 0, phase: "installed", source: sourceLabel(tried) });
      this.deps.log?.info("models: downloaded", { kind: spec.kind, name: spec.name, bytes: result!.size, url: tried });
    } catch (err) {
      const last = this.#last.get(id);
      const bytes = last?.bytes ?? 0;
      this.#ended.set(id, { spec, refusePrivate });
      if (signal.aborted) this.#publish({ ...base, bytes, total: last?.total, rate: 0, phase: "cancelled" });
      else {
        this.deps.log?.warn("models: download failed", {
          name: spec.name,
          url: tried,
          error: (err as Error)?.message,
          detail: err instanceof DownloadError ? err.detail : undefined,
        });
        this.#publish({
          ...base,
          bytes,
          total: last?.total,
          rate: 0,
          phase: "failed",
          source: sourceLabel(tried),
          error: failureText(err, { url: tried }, hosts),
        });
      }
    }
  }

  /** One source: its sha256 (the catalogue's, else Hugging Face's), then the shared downloader. */
  async #fetchFrom(id: string, spec: ModelFileSpec, url: string, staged: string, signal: AbortSignal, hosts: Hosts, refusePrivate: boolean) {
    const headers = authFor(url, hosts);
    const recorded = isSha(spec.sha256);
    const sha256 = recorded ? spec.sha256 : await this.#linkedSha256(url, headers, hosts, signal, refusePrivate);
    const source = sourceLabel(url);
    return download({
      url,
      dest: staged,
      asset: spec.name,
      id,
      kind: "model",
      sha256,
      // A recorded sha256 comes with the exact size: a server naming another size is refused before any byte is kept.
      size: recorded ? spec.size : undefined,
      headers,
      signal,
      fetch: this.deps.fetch,
      refusePrivate,
      allowHosts: configuredHosts(hosts),
      retries: this.deps.retries,
      backoffMs: this.deps.backoffMs,
      // The end (installed, or failed in a sentence) is ours to say, after the check below.
      // A server that names no length: the catalogue's approximate size stands in, for the bar only.
      onProgress: (p) => {
        if (p.phase !== "downloading" && p.phase !== "retrying" && p.phase !== "starting") return;
        this.#publish({ ...(p.total === undefined && spec.size ? { ...p, total: Math.max(spec.size, p.bytes) } : p), source });
      },
    });
  }

  /** Hugging Face names an LFS file's sha256 in X-Linked-Etag on the resolve URL's first answer. */
  async #linkedSha256(url: string, headers: Record<string, string>, hosts: Hosts, signal: AbortSignal, refusePrivate: boolean): Promise<string | undefined> {
    if (new URL(url).origin !== new URL(hosts.huggingface).origin) return undefined;
    const res = await guardedFetch(url, {
      method: "HEAD",
      headers,
      follow: false,
      signal,
      fetch: this.deps.fetch,
      refusePrivate,
      allowHosts: configuredHosts(hosts),
    }).then(
      (r) => r.response,
      () => null,
    );
    const etag = res?.headers.get("x-linked-etag")?.replace(/^W\//, "").replaceAll('"', "").toLowerCase();
    return isSha(etag) ? etag : undefined;
  }
}
