/**
 * Downloads one release asset into the downloads folder: streamed to
 * `<dest>.part` (written and hashed on a worker thread), resumed with HTTP
 * Range (If-Range guards against a changed file) after a cut or a restart,
 * retried with backoff, aborted and retried on a stall, cancelled by an
 * AbortSignal. The size and sha256 are checked before the file is renamed
 * into place; a file that fails is deleted, so nothing unverified is ever
 * unpacked or run.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { EventBus } from "../core/events/bus";
import { DownloadError } from "./errors";
import { FetchRefusedError, guardedFetch } from "./fetch-guard";
import { createPartWriter, sha256File, type PartWriter, type WriteFailure } from "./part-writer";
import { hostOf, networkFailure, statusFailure } from "./net-failure";
import { busEmitter, ProgressMeter, type DownloadKind, type DownloadProgress } from "./progress";

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

/** Network chunks are gathered into blocks this big before they go to the writer. */
const BLOCK = 4 * 1024 * 1024;
const MAX_BACKOFF_MS = 30_000;
const FATAL_STATUS = new Set([401, 403, 404, 410]);

/** A try that failed in a way worth trying again: `message` is the raw cause (for the log), `words` what the user reads. */
class RetryableError extends Error {
  constructor(
    message: string,
    readonly words: { code: string; message: string },
  ) {
    super(message);
  }
}

interface PartMeta {
  url: string;
  /** Strong ETag or Last-Modified of the file the part belongs to. */
  validator?: string;
  size?: number;
}

interface Job {
  opts: DownloadOptions;
  asset: string;
  part: string;
  metaFile: string;
  meter: ProgressMeter;
  writer: PartWriter;
  /** Bytes of the part file the writer has hashed, from 0; -1 before the first try. */
  hashed: number;
  received: number;
  total?: number;
  meta: PartMeta;
}

export function normalizeSha256(digest: string | undefined): string | undefined {
  return digest?.replace(/^sha256:/i, "").toLowerCase() || undefined;
}

export async function download(opts: DownloadOptions): Promise<DownloadResult> {
  const asset = opts.asset ?? decodeURIComponent(new URL(opts.url).pathname.split("/").pop() || "download");
  const part = `${opts.dest}.part`;
  const metaFile = `${part}.json`;
  const expectedSha = normalizeSha256(opts.sha256);
  const meter = new ProgressMeter({ id: opts.id ?? asset, kind: opts.kind ?? "engine", asset }, busEmitter(opts.bus, opts.onProgress), opts.progressIntervalMs);
  mkdirSync(dirname(opts.dest), { recursive: true });

  // Verified by an earlier run.
  if (expectedSha && existsSync(opts.dest) && (opts.size === undefined || statSync(opts.dest).size === opts.size)) {
    if ((await sha256File(opts.dest)) === expectedSha) {
      const size = statSync(opts.dest).size;
      meter.update(size, size, true, "done");
      return { path: opts.dest, size, sha256: expectedSha, receivedBytes: 0, attempts: 0 };
    }
    rmSync(opts.dest, { force: true });
  }

  let meta = readMeta(metaFile);
  if (!meta || meta.url !== opts.url || (opts.size !== undefined && meta.size !== undefined && meta.size !== opts.size)) {
    rmSync(part, { force: true });
    meta = { url: opts.url, size: opts.size };
  }
  const job: Job = { opts, asset, part, metaFile, meter, writer: createPartWriter(), hashed: -1, received: 0, total: opts.size ?? meta.size, meta };
  try {
    meter.starting(job.total);
    const attempts = await fetchWithRetries(job);
    // A write that failed after the last block was handed over (a disk filling up at the end) shows only here.
    if (job.writer.failure) throw writeError(job, job.writer.failure);
    const size = statSync(part).size;
    if (job.hashed !== size) {
      // Complete from an earlier run: hash what is on disk.
      await job.writer.open(part, size, true);
      await job.writer.close();
    }
    const sha256 = await job.writer.digest();
    if ((job.total !== undefined && size !== job.total) || (expectedSha && sha256 !== expectedSha)) {
      discard(job);
      const what = job.total !== undefined && size !== job.total ? `size ${size} instead of ${job.total} bytes` : "sha256 mismatch";
      throw new DownloadError("verify_failed", `the download of ${asset} failed verification (${what}); it was deleted`, "try again; if it keeps failing, the file on the server or a proxy is damaging it");
    }
    renameSync(part, opts.dest);
    rmSync(metaFile, { force: true });
    meter.update(size, size, true, "done");
    return { path: opts.dest, size, sha256, receivedBytes: job.received, attempts };
  } catch (err) {
    const bytes = existsSync(part) ? statSync(part).size : 0;
    if (opts.signal?.aborted) meter.stop(bytes, job.total, "cancelled");
    else meter.stop(bytes, job.total, "failed", err instanceof DownloadError ? { code: err.code, message: err.message } : { code: "download_failed", message: String((err as Error)?.message ?? err) });
    throw err;
  } finally {
    job.writer.terminate();
  }
}

async function fetchWithRetries(job: Job): Promise<number> {
  const { opts } = job;
  const retries = opts.retries ?? 5;
  for (let attempts = 1; ; attempts++) {
    opts.signal?.throwIfAborted();
    try {
      await tryOnce(job);
      return attempts;
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? err;
      if (!(err instanceof RetryableError)) throw err;
      if (attempts > retries)
        throw new DownloadError(
          err.words.code === "offline" ? "offline" : "download_failed",
          `${err.words.message}: ${job.asset} was not downloaded (gave up after ${attempts} ${attempts === 1 ? "try" : "tries"})`,
          "check the internet connection and try again; the download resumes where it stopped",
          undefined,
          err.message,
        );
      const pause = Math.min(MAX_BACKOFF_MS, (opts.backoffMs ?? 1000) * 2 ** (attempts - 1));
      job.meter.retrying(existsSync(job.part) ? statSync(job.part).size : 0, job.total, err.words, attempts + 1, retries + 1, pause);
      await sleep(pause, opts.signal);
    }
  }
}

/** One request: from the end of the part file to the end, or until the connection fails. */
async function tryOnce(job: Job) {
  const { opts, part, asset } = job;
  let offset = existsSync(part) ? statSync(part).size : 0;
  if (job.total !== undefined && offset > job.total) {
    rmSync(part, { force: true });
    offset = 0;
  }
  if (job.total !== undefined && offset === job.total && offset > 0) return; // complete, from an earlier run
  const headers: Record<string, string> = {};
  if (offset > 0) {
    headers.range = `bytes=${offset}-`;
    if (job.meta.validator) headers["if-range"] = job.meta.validator;
  }
  const stallMs = opts.stallMs ?? 30_000;
  const stall = new AbortController();
  let timer = setTimeout(() => stall.abort(), stallMs);
  const kick = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(), stallMs);
  };
  const signal = opts.signal ? AbortSignal.any([opts.signal, stall.signal]) : stall.signal;
  let opened = false;
  try {
    const res = await fetchFollowing(opts, headers, signal).catch((err) => {
      if (opts.signal?.aborted || err instanceof DownloadError) throw err;
      if (stall.signal.aborted) throw new RetryableError(`no answer for ${stallMs / 1000} s`, { code: "no_answer", message: `${hostOf(opts.url)} did not answer for ${stallMs / 1000} s` });
      throw new RetryableError(rawText(err), networkFailure(err, opts.url));
    });
    offset = await checkResponse(job, res, offset);
    if (offset < 0) return; // the part already holds the whole file

    await job.writer.open(part, offset, job.hashed !== offset);
    opened = true;
    job.hashed = offset;
    let written = offset;
    let block = job.writer.buffer(BLOCK);
    let filled = 0;
    const flush = async () => {
      if (filled === 0) return;
      const full = filled === block.length ? block : block.subarray(0, filled);
      block = job.writer.buffer(BLOCK);
      job.hashed += filled;
      filled = 0;
      await job.writer.write(full);
    };
    job.meter.restart(written);
    const reader = res.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        kick();
        job.received += value.length;
        written += value.length;
        for (let pos = 0; pos < value.length; ) {
          const n = Math.min(value.length - pos, BLOCK - filled);
          block.set(value.subarray(pos, pos + n), filled);
          filled += n;
          pos += n;
          if (filled === BLOCK) await flush();
        }
        job.meter.update(written, job.total);
      }
    } catch (err) {
      if (isWriteFailure(err)) throw err;
      await flush(); // keep what arrived, for the resume
      if (opts.signal?.aborted) throw err;
      if (stall.signal.aborted) throw new RetryableError(`no data for ${stallMs / 1000} s`, { code: "stalled", message: `${hostOf(opts.url)} sent nothing for ${stallMs / 1000} s` });
      throw new RetryableError(rawText(err), networkFailure(err, opts.url));
    }
    await flush();
    job.meter.update(written, job.total, true);
    if (job.total !== undefined && written < job.total)
      throw new RetryableError(`the connection closed at ${written} of ${job.total} bytes`, { code: "connection_cut", message: `The connection to ${hostOf(opts.url)} closed early` });
  } catch (err) {
    if (isWriteFailure(err)) throw writeError(job, err);
    throw err;
  } finally {
    clearTimeout(timer);
    if (opened) await job.writer.close().catch(() => {});
  }
}

/** Checks the status and range of an answer; returns where its body starts in the file, or -1 when nothing is left to fetch. */
async function checkResponse(job: Job, res: Response, offset: number): Promise<number> {
  const { asset, opts } = job;
  const refuse = async () => void (await res.body?.cancel().catch(() => {}));
  if (FATAL_STATUS.has(res.status)) {
    await refuse();
    const code = res.status === 401 || res.status === 403 ? "unauthorized" : "not_available";
    const what = code === "unauthorized" ? "needs permission" : "is not available";
    throw new DownloadError(code, `${asset} ${what} (HTTP ${res.status} from ${hostOf(opts.url)})`, undefined, res.status);
  }
  if (res.status === 416) {
    await refuse();
    // The part already holds the server's whole file: the size check judges it.
    if (offset > 0 && Number(/bytes \*\/(\d+)/.exec(res.headers.get("content-range") ?? "")?.[1]) === offset) return -1;
    rmSync(job.part, { force: true });
    throw new RetryableError("the server refused to resume (HTTP 416); starting over", { code: "restart", message: `${hostOf(opts.url)} could not go on where the download stopped; starting over` });
  }
  if (res.status !== 200 && res.status !== 206) {
    await refuse();
    throw new RetryableError(`HTTP ${res.status}`, statusFailure(res.status, opts.url));
  }
  const range = res.status === 206 ? /bytes (\d+)-\d+\/(\d+|\*)/.exec(res.headers.get("content-range") ?? "") : null;
  if (res.status === 206 && Number(range?.[1]) !== offset) {
    await refuse();
    rmSync(job.part, { force: true });
    throw new RetryableError("the server sent the wrong range; starting over", { code: "restart", message: `${hostOf(opts.url)} sent the wrong part of the file; starting over` });
  }
  if (res.status === 200) offset = 0; // Range ignored, or the file changed (If-Range): start over.
  const length = Number(res.headers.get("content-length") ?? NaN);
  const total = range?.[2] && range[2] !== "*" ? Number(range[2]) : Number.isFinite(length) ? offset + length : undefined;
  if (job.total === undefined) job.total = total;
  else if (total !== undefined && total !== job.total) {
    await refuse();
    discard(job);
    throw new DownloadError("verify_failed", `${asset} is ${total} bytes on the server, but ${job.total} were expected`, "the file may have changed on the server: try again later");
  }
  const etag = res.headers.get("etag");
  job.meta = { url: opts.url, size: job.total, validator: (etag && !etag.startsWith("W/") ? etag : undefined) ?? res.headers.get("last-modified") ?? undefined };
  writeFileSync(job.metaFile, JSON.stringify(job.meta));
  return offset;
}

/**
 * GET through the fetch guard (fetch-guard.ts): redirects followed by hand,
 * http(s) only at every hop, the caller's own headers never sent to another
 * origin, private addresses refused when `refusePrivate`. A refusal is final.
 */
async function fetchFollowing(opts: DownloadOptions, range: Record<string, string>, signal: AbortSignal): Promise<Response> {
  try {
    return (await guardedFetch(opts.url, { headers: opts.headers, hopHeaders: range, signal, fetch: opts.fetch, refusePrivate: opts.refusePrivate, allowHosts: opts.allowHosts, resolve: opts.resolve })).response;
  } catch (err) {
    if (err instanceof FetchRefusedError) throw new DownloadError("not_allowed", `${opts.asset ?? "the download"}: ${err.message}`);
    throw err;
  }
}

/** The error's own words with its code, for the log. */
function rawText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return [e?.code, e?.message ?? String(err)].filter(Boolean).join(": ");
}

function isWriteFailure(err: unknown): err is WriteFailure {
  return !!err && typeof err === "object" && !(err instanceof Error) && "message" in err;
}

function writeError(job: Job, f: WriteFailure): DownloadError {
  discard(job);
  if (f.code === "ENOSPC")
    return new DownloadError("disk_full", `the disk is full: could not save ${job.asset}; the partial download was removed`, `free some space in ${dirname(job.part)} and try again`);
  return new DownloadError("download_failed", `could not write ${job.part}: ${f.message}`);
}

function discard(job: Job) {
  rmSync(job.part, { force: true });
  rmSync(job.metaFile, { force: true });
}

function readMeta(file: string): PartMeta | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PartMeta;
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}
