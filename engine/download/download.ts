/**
 * Downloads one release asset into the downloads folder: streamed to
 * `<dest>.part` in large writes, resumed with HTTP Range (If-Range guards
 * against a changed file) after a cut or a restart, retried with backoff,
 * aborted and retried on a stall, cancelled by an AbortSignal. The size and
 * sha256 are checked before the file is renamed into place; a file that fails
 * is deleted, so nothing unverified is ever unpacked or run.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { EventBus } from "../../launcher/events/bus";
import { EngineError, engineError } from "../install/engine-error";
import { busEmitter, ProgressMeter, type DownloadProgress } from "./progress";

export interface DownloadOptions {
  url: string;
  /** Final path of the verified file; `<dest>.part` while it downloads. */
  dest: string;
  /** Name in progress events and messages (default: the file name in the URL). */
  asset?: string;
  /** Expected size in bytes, from the release. */
  size?: number;
  /** Expected sha256, hex or "sha256:<hex>". */
  sha256?: string;
  bus?: EventBus;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  fetch?: typeof fetch;
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

const WRITE_BUFFER = 4 * 1024 * 1024;
const MAX_BACKOFF_MS = 30_000;
const FATAL_STATUS = new Set([401, 403, 404, 410]);

class RetryableError extends Error {}

interface PartMeta {
  url: string;
  /** Strong ETag or Last-Modified of the file the part belongs to. */
  validator?: string;
  size?: number;
}

export function normalizeSha256(digest: string | undefined): string | undefined {
  return digest?.replace(/^sha256:/i, "").toLowerCase() || undefined;
}

/** sha256 of the first `length` bytes of a file (all of it by default). */
export async function hashFile(path: string, hasher = new Bun.CryptoHasher("sha256"), length?: number): Promise<Bun.CryptoHasher> {
  const file = length === undefined ? Bun.file(path) : Bun.file(path).slice(0, length);
  for await (const chunk of file.stream()) hasher.update(chunk);
  return hasher;
}

export async function download(opts: DownloadOptions): Promise<DownloadResult> {
  const asset = opts.asset ?? decodeURIComponent(new URL(opts.url).pathname.split("/").pop() || "download");
  const part = `${opts.dest}.part`;
  const metaFile = `${part}.json`;
  const expectedSha = normalizeSha256(opts.sha256);
  const meter = new ProgressMeter(asset, busEmitter(opts.bus, opts.onProgress), opts.progressIntervalMs);
  mkdirSync(dirname(opts.dest), { recursive: true });

  // Verified by an earlier run.
  if (expectedSha && existsSync(opts.dest) && (opts.size === undefined || statSync(opts.dest).size === opts.size)) {
    if ((await hashFile(opts.dest)).digest("hex") === expectedSha) {
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
  const state: TryState = { hasher: new Bun.CryptoHasher("sha256"), hashed: 0, received: 0, total: opts.size ?? meta.size, meta };
  const retries = opts.retries ?? 5;
  let attempts = 0;
  try {
    for (;;) {
      opts.signal?.throwIfAborted();
      attempts++;
      try {
        await tryOnce(opts, asset, part, metaFile, state, meter);
        break;
      } catch (err) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? err;
        if (!(err instanceof RetryableError)) throw err;
        if (attempts > retries) throw engineError("DownloadFailed", `could not download ${asset} after ${attempts} tries: ${err.message}`, "check the internet connection and try again; the download resumes where it stopped");
        await sleep(Math.min(MAX_BACKOFF_MS, (opts.backoffMs ?? 1000) * 2 ** (attempts - 1)), opts.signal);
      }
    }
    const size = statSync(part).size;
    if (state.hashed !== size) await rehash(part, state, size);
    const sha256 = state.hasher.digest("hex");
    if ((state.total !== undefined && size !== state.total) || (expectedSha && sha256 !== expectedSha)) {
      discard(part, metaFile);
      const what = state.total !== undefined && size !== state.total ? `size ${size} instead of ${state.total} bytes` : "sha256 mismatch";
      throw engineError("VerifyFailed", `the download of ${asset} failed verification (${what}); it was deleted`, "try again; if it keeps failing, the release file or a proxy is damaging it");
    }
    renameSync(part, opts.dest);
    rmSync(metaFile, { force: true });
    meter.update(size, size, true, "done");
    return { path: opts.dest, size, sha256, receivedBytes: state.received, attempts };
  } catch (err) {
    meter.update(existsSync(part) ? statSync(part).size : 0, state.total, true, "failed");
    throw err;
  }
}

interface TryState {
  hasher: Bun.CryptoHasher;
  /** Bytes of the part file the hasher has seen (it must always start at 0). */
  hashed: number;
  received: number;
  total?: number;
  meta: PartMeta;
}

async function tryOnce(opts: DownloadOptions, asset: string, part: string, metaFile: string, state: TryState, meter: ProgressMeter) {
  let offset = existsSync(part) ? statSync(part).size : 0;
  if (state.total !== undefined && offset > state.total) {
    rmSync(part, { force: true });
    offset = 0;
  }
  if (state.total !== undefined && offset === state.total && offset > 0) return; // complete, from an earlier run
  const headers: Record<string, string> = {};
  if (offset > 0) {
    headers.range = `bytes=${offset}-`;
    if (state.meta.validator) headers["if-range"] = state.meta.validator;
  }
  const stall = new AbortController();
  const stallMs = opts.stallMs ?? 30_000;
  let timer = setTimeout(() => stall.abort(), stallMs);
  const kick = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(), stallMs);
  };
  const signal = opts.signal ? AbortSignal.any([opts.signal, stall.signal]) : stall.signal;
  let fd: number | undefined;
  try {
    const res = await (opts.fetch ?? fetch)(opts.url, { headers, signal, redirect: "follow" }).catch((err) => {
      throw stall.signal.aborted ? new RetryableError(`no answer for ${stallMs / 1000} s`) : opts.signal?.aborted ? err : new RetryableError((err as Error).message);
    });
    if (FATAL_STATUS.has(res.status)) {
      await res.body?.cancel();
      throw engineError("DownloadFailed", `${asset} is not available (HTTP ${res.status} from ${opts.url})`, "check engine.release_repo and engine.release_tag, or import a build with `easy-diffusion engine import`");
    }
    if (res.status === 416) {
      await res.body?.cancel();
      // The part already holds the server's whole file: the size check below judges it.
      if (offset > 0 && Number(/bytes \*\/(\d+)/.exec(res.headers.get("content-range") ?? "")?.[1]) === offset) return;
      rmSync(part, { force: true });
      throw new RetryableError("the server refused to resume (HTTP 416); starting over");
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw new RetryableError(`HTTP ${res.status}`);
    }
    const range = res.status === 206 ? /bytes (\d+)-\d+\/(\d+|\*)/.exec(res.headers.get("content-range") ?? "") : null;
    if (res.status === 206 && Number(range?.[1]) !== offset) {
      // A range we did not ask for: throw the part away and start clean.
      await res.body?.cancel();
      rmSync(part, { force: true });
      throw new RetryableError("the server sent the wrong range");
    }
    if (res.status === 200) offset = 0; // Range ignored, or the file changed (If-Range): start over.
    const length = Number(res.headers.get("content-length") ?? NaN);
    const total = range?.[2] && range[2] !== "*" ? Number(range[2]) : Number.isFinite(length) ? offset + length : undefined;
    if (state.total === undefined) state.total = total;
    else if (total !== undefined && total !== state.total) {
      await res.body?.cancel();
      discard(part, metaFile);
      throw engineError("VerifyFailed", `${asset} is ${total} bytes on the server, but the release lists ${state.total}`, "the release may have changed: try again later");
    }
    const etag = res.headers.get("etag");
    state.meta = { url: opts.url, size: state.total, validator: (etag && !etag.startsWith("W/") ? etag : undefined) ?? res.headers.get("last-modified") ?? undefined };
    writeFileSync(metaFile, JSON.stringify(state.meta));
    if (state.hashed !== offset) await rehash(part, state, offset);

    fd = openSync(part, offset === 0 ? "w" : "a");
    const staging = new Uint8Array(WRITE_BUFFER);
    let staged = 0;
    let written = offset;
    const flush = () => {
      if (staged === 0) return;
      writeAll(fd!, staging.subarray(0, staged), part, metaFile, asset);
      staged = 0;
    };
    meter.restart(written);
    const reader = res.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        kick();
        state.received += value.length;
        state.hasher.update(value);
        state.hashed += value.length;
        written += value.length;
        if (staged + value.length > WRITE_BUFFER) flush();
        if (value.length >= WRITE_BUFFER) writeAll(fd, value, part, metaFile, asset);
        else {
          staging.set(value, staged);
          staged += value.length;
        }
        meter.update(written, state.total);
      }
    } catch (err) {
      if (err instanceof EngineError) throw err;
      flush(); // keep what arrived, for the resume
      if (opts.signal?.aborted) throw err;
      throw new RetryableError(stall.signal.aborted ? `no data for ${stallMs / 1000} s` : (err as Error).message);
    }
    flush();
    meter.update(written, state.total, true);
    if (state.total !== undefined && written < state.total) throw new RetryableError(`the connection closed at ${written} of ${state.total} bytes`);
  } finally {
    clearTimeout(timer);
    if (fd !== undefined) closeSync(fd);
  }
}

function writeAll(fd: number, data: Uint8Array, part: string, metaFile: string, asset: string) {
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOSPC") {
      discard(part, metaFile);
      throw engineError("DiskFull", `the disk is full: could not save ${asset}; the partial download was removed`, `free some space in ${dirname(part)} and try again`);
    }
    throw engineError("DownloadFailed", `could not write ${part}: ${(err as Error).message}`);
  }
}

async function rehash(part: string, state: TryState, length: number) {
  state.hasher = length > 0 ? await hashFile(part, new Bun.CryptoHasher("sha256"), length) : new Bun.CryptoHasher("sha256");
  state.hashed = length;
}

function discard(part: string, metaFile: string) {
  rmSync(part, { force: true });
  rmSync(metaFile, { force: true });
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
