/**
 * One try of a download: from the end of the part file to the end of the
 * file, or until the connection fails or stalls. What arrived stays in the
 * part file for the next try.
 */
import { existsSync, rmSync, statSync } from "node:fs";
import { isWriteFailure, RetryableError, writeError, type DownloadJob } from "./download-job";
import { DownloadError } from "./errors";
import { hostOf, networkFailure } from "./net-failure";
import { checkResponse, fetchFollowing } from "./range-request";

/** Network chunks are gathered into blocks this big before they go to the writer. */
const BLOCK = 4 * 1024 * 1024;

/** One request: from the end of the part file to the end, or until the connection fails. */
export async function tryOnce(job: DownloadJob) {
  const { opts, part } = job;
  const host = hostOf(opts.url);
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
  const stallS = stallMs / 1000;
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
      if (stall.signal.aborted) {
        throw new RetryableError(`no answer for ${stallS} s`, { code: "no_answer", message: `${host} did not answer for ${stallS} s` });
      }
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
      if (stall.signal.aborted) {
        throw new RetryableError(`no data for ${stallS} s`, { code: "stalled", message: `${host} sent nothing for ${stallS} s` });
      }
      throw new RetryableError(rawText(err), networkFailure(err, opts.url));
    }
    await flush();
    job.meter.update(written, job.total, true);
    if (job.total !== undefined && written < job.total) {
      throw new RetryableError(`the connection closed at ${written} of ${job.total} bytes`, {
        code: "connection_cut",
        message: `The connection to ${host} closed early`,
      });
    }
  } catch (err) {
    if (isWriteFailure(err)) throw writeError(job, err);
    throw err;
  } finally {
    clearTimeout(timer);
    if (opened) await job.writer.close().catch(() => {});
  }
}

/** The error's own words with its code, for the log. */
function rawText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return [e?.code, e?.message ?? String(err)].filter(Boolean).join(": ");
}
