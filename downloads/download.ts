/**
 * Downloads one release asset into the downloads folder: streamed to
 * `<dest>.part` (written and hashed on a worker thread), resumed with HTTP
 * Range (If-Range guards against a changed file) after a cut or a restart,
 * retried with backoff, aborted and retried on a stall, cancelled by an
 * AbortSignal. The size and sha256 are checked before the file is renamed
 * into place; a file that fails is deleted, so nothing unverified is ever
 * unpacked or run.
 *
 * The pieces: download-options.ts (what to fetch), download-job.ts (the part
 * file and the state across tries), download-try.ts (one try),
 * range-request.ts (the request and the judgement of its answer).
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { discard, readMeta, RetryableError, writeError, type DownloadJob } from "./download-job";
import { normalizeSha256, type DownloadOptions, type DownloadResult } from "./download-options";
import { tryOnce } from "./download-try";
import { DownloadError } from "./errors";
import { createPartWriter, sha256File } from "./part-writer";
import { busEmitter, ProgressMeter } from "./progress";

export { normalizeSha256, type DownloadOptions, type DownloadResult } from "./download-options";

const MAX_BACKOFF_MS = 30_000;

export async function download(opts: DownloadOptions): Promise<DownloadResult> {
  const asset = opts.asset ?? decodeURIComponent(new URL(opts.url).pathname.split("/").pop() || "download");
  const part = `${opts.dest}.part`;
  const metaFile = `${part}.json`;
  const expectedSha = normalizeSha256(opts.sha256);
  const emit = busEmitter(opts.bus, opts.onProgress);
  const meter = new ProgressMeter({ id: opts.id ?? asset, kind: opts.kind ?? "engine", asset }, emit, opts.progressIntervalMs);
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
  const job: DownloadJob = {
    opts,
    asset,
    part,
    metaFile,
    meter,
    writer: createPartWriter(),
    hashed: -1,
    received: 0,
    total: opts.size ?? meta.size,
    meta,
  };
  // A download in progress keeps the process alive by itself: Bun (1.4.5) does not count a response body being read
  // as pending work, so a command-line run with no server (`worker rpc`) ended, exit code 0, mid-download.
  const alive = setInterval(() => {}, 3_600_000);
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
    const wrongSize = job.total !== undefined && size !== job.total;
    if (wrongSize || (expectedSha && sha256 !== expectedSha)) {
      discard(job);
      const what = wrongSize ? `size ${size} instead of ${job.total} bytes` : "sha256 mismatch";
      throw new DownloadError(
        "verify_failed",
        `the download of ${asset} failed verification (${what}); it was deleted`,
        "try again; if it keeps failing, the file on the server or a proxy is damaging it",
      );
    }
    renameSync(part, opts.dest);
    rmSync(metaFile, { force: true });
    meter.update(size, size, true, "done");
    return { path: opts.dest, size, sha256, receivedBytes: job.received, attempts };
  } catch (err) {
    const bytes = existsSync(part) ? statSync(part).size : 0;
    if (opts.signal?.aborted) meter.stop(bytes, job.total, "cancelled");
    else {
      const reason =
        err instanceof DownloadError
          ? { code: err.code, message: err.message }
          : { code: "download_failed", message: String((err as Error)?.message ?? err) };
      meter.stop(bytes, job.total, "failed", reason);
    }
    throw err;
  } finally {
    clearInterval(alive);
    job.writer.terminate();
  }
}

async function fetchWithRetries(job: DownloadJob): Promise<number> {
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
      const bytes = existsSync(job.part) ? statSync(job.part).size : 0;
      job.meter.retrying(bytes, job.total, err.words, attempts + 1, retries + 1, pause);
      await sleep(pause, opts.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}
