/**
 * Model downloads: a file from Hugging Face, Civitai or any URL into its kind's
 * folder, through the shared downloader (resume, retries, stall, cancel, disk
 * full, sha256). The expected sha256 comes from the source: the catalogue or a
 * search result, or Hugging Face's X-Linked-Etag for an LFS file. Tokens go to
 * their own host only. A finished file is checked to be a model before it is
 * moved into place; only then is `installed` published.
 */
import { guardedFetch } from "../../downloads/fetch-guard";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { download } from "../../downloads/download";
import { DownloadError } from "../../downloads/errors";
import type { DownloadProgress } from "../../downloads/progress";
import type { EventBus } from "../../launcher/events/bus";
import { insidePath } from "../../launcher/files/inside";
import type { Logger } from "../../launcher/log";
import { modelDir, type ModelKind, type Paths } from "../../launcher/paths";
import { identifyFile } from "../identify-file";

export interface ModelFileSpec {
  url: string;
  kind: ModelKind;
  /** File name in the kind's folder. */
  name: string;
  sha256?: string;
  size?: number;
}

export interface Hosts {
  huggingface: string;
  civitai: string;
  huggingfaceToken: string;
  civitaiToken: string;
}

export class DownloadConflictError extends Error {
  override name = "DownloadConflictError";
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
export function failureText(err: unknown, spec: ModelFileSpec, hosts: Hosts): { code: string; message: string } {
  const site = spec.url.startsWith(hosts.huggingface) ? "Hugging Face" : spec.url.startsWith(hosts.civitai) ? "Civitai" : new URL(spec.url).host;
  if (err instanceof DownloadError && err.code === "unauthorized")
    return { code: "needs_token", message: `${site} answered ${err.status}: accept the licence on the model's page or add a token in Settings → Models` };
  if (err instanceof DownloadError && err.code === "not_available") return { code: "not_found", message: `${site} has no file at that address (HTTP ${err.status})` };
  if (err instanceof DownloadError) return { code: err.code, message: err.message };
  return { code: "download_failed", message: (err as Error)?.message ?? String(err) };
}

export class ModelDownloads {
  #running = new Map<string, { spec: ModelFileSpec; abort: AbortController }>();
  #last = new Map<string, DownloadProgress>();

  constructor(
    readonly deps: { paths: Paths; bus: EventBus; hosts: () => Hosts; fetch?: typeof fetch; log?: Logger; retries?: number; backoffMs?: number },
  ) {}

  /** Where the file goes; null when its name would leave the folder. */
  destination(spec: Pick<ModelFileSpec, "kind" | "name">): string | null {
    return insidePath(modelDir(this.deps.paths, spec.kind), spec.name);
  }

  /**
   * Starts a download; its progress goes on the bus under the returned id.
   * `refusePrivate`: the URL and every redirect must not lead to this computer
   * or a local network (downloads a guest device starts); off for the owner,
   * whose local mirror is legitimate. http(s) only at every hop either way.
   */
  start(spec: ModelFileSpec, options: { refusePrivate?: boolean } = {}): string {
    const dest = this.destination(spec);
    if (!dest) throw new DownloadConflictError(`${spec.name}: not a plain file name`);
    if (existsSync(dest)) throw new DownloadConflictError(`${spec.kind}/${spec.name} is installed already`);
    if ([...this.#running.values()].some((r) => r.spec.kind === spec.kind && r.spec.name === spec.name)) throw new DownloadConflictError(`${spec.kind}/${spec.name} is downloading already`);
    const id = `m-${spec.kind}-${spec.name}`;
    const abort = new AbortController();
    this.#running.set(id, { spec, abort });
    void this.#run(id, spec, dest, abort.signal, options.refusePrivate === true).finally(() => this.#running.delete(id));
    return id;
  }

  list(): DownloadProgress[] {
    return [...this.#last.values()];
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
    try {
      const headers = authFor(spec.url, hosts);
      const sha256 = isSha(spec.sha256) ? spec.sha256 : await this.#linkedSha256(spec.url, headers, hosts, signal, refusePrivate);
      const result = await download({
        url: spec.url,
        dest: staged,
        asset: spec.name,
        id,
        kind: "model",
        sha256,
        headers,
        signal,
        fetch: this.deps.fetch,
        refusePrivate,
        retries: this.deps.retries,
        backoffMs: this.deps.backoffMs,
        // The end (installed, or failed in a sentence) is ours to say, after the check below.
        // A server that names no length: the catalogue's approximate size stands in, for the bar only.
        onProgress: (p) => p.phase === "downloading" && this.#publish(p.total === undefined && spec.size ? { ...p, total: Math.max(spec.size, p.bytes) } : p),
      });
      const identity = identifyFile(staged);
      if (identity.detected === null && identity.problem) {
        rmSync(staged, { force: true });
        throw new DownloadError("verify_failed", `${spec.name} is not a model file (${identity.problem}); it was deleted`);
      }
      mkdirSync(modelDir(this.deps.paths, spec.kind), { recursive: true });
      renameSync(staged, dest);
      this.#publish({ ...base, bytes: result.size, total: result.size, rate: 0, phase: "installed" });
      this.deps.log?.info("models: downloaded", { kind: spec.kind, name: spec.name, bytes: result.size });
    } catch (err) {
      const bytes = this.#last.get(id)?.bytes ?? 0;
      if (signal.aborted) this.#publish({ ...base, bytes, rate: 0, phase: "cancelled" });
      else this.#publish({ ...base, bytes, rate: 0, phase: "failed", error: failureText(err, spec, hosts) });
    }
  }

  /** Hugging Face names an LFS file's sha256 in X-Linked-Etag on the resolve URL's first answer. */
  async #linkedSha256(url: string, headers: Record<string, string>, hosts: Hosts, signal: AbortSignal, refusePrivate: boolean): Promise<string | undefined> {
    if (new URL(url).origin !== new URL(hosts.huggingface).origin) return undefined;
    const res = await guardedFetch(url, { method: "HEAD", headers, follow: false, signal, fetch: this.deps.fetch, refusePrivate }).then((r) => r.response, () => null);
    const etag = res?.headers.get("x-linked-etag")?.replace(/^W\//, "").replaceAll('"', "").toLowerCase();
    return isSha(etag) ? etag : undefined;
  }
}
