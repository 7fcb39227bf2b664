/**
 * The request for the rest of a file and the judgement of its answer: status,
 * Content-Range, total size and validator. Fatal answers (no permission, gone,
 * a different file) throw a DownloadError; ones worth another try a RetryableError.
 */
import { rmSync, writeFileSync } from "node:fs";
import { discard, RetryableError, type DownloadJob } from "./download-job";
import type { DownloadOptions } from "./download-options";
import { DownloadError } from "./errors";
import { FetchRefusedError, guardedFetch } from "./fetch-guard";
import { hostOf, statusFailure } from "./net-failure";

/** Answers no retry will change. */
const FATAL_STATUS = new Set([401, 403, 404, 410]);

/**
 * GET through the fetch guard (fetch-guard.ts): redirects followed by hand,
 * http(s) only at every hop, the caller's own headers never sent to another
 * origin, private addresses refused when `refusePrivate`. A refusal is final.
 */
export async function fetchFollowing(
  opts: DownloadOptions,
  range: Record<string, string>,
  signal: AbortSignal,
): Promise<Response> {
  try {
    const answer = await guardedFetch(opts.url, {
      headers: opts.headers,
      hopHeaders: range,
      signal,
      fetch: opts.fetch,
      refusePrivate: opts.refusePrivate,
      allowHosts: opts.allowHosts,
      resolve: opts.resolve,
    });
    return answer.response;
  } catch (err) {
    if (err instanceof FetchRefusedError) throw new DownloadError("not_allowed", `${opts.asset ?? "the download"}: ${err.message}`);
    throw err;
  }
}

/** Checks the status and range of an answer; returns where its body starts in the file, or -1 when nothing is left to fetch. */
export async function checkResponse(job: DownloadJob, res: Response, offset: number): Promise<number> {
  const { asset, opts } = job;
  const host = hostOf(opts.url);
  const refuse = async () => void (await res.body?.cancel().catch(() => {}));
  if (FATAL_STATUS.has(res.status)) {
    await refuse();
    const code = res.status === 401 || res.status === 403 ? "unauthorized" : "not_available";
    const what = code === "unauthorized" ? "needs permission" : "is not available";
    throw new DownloadError(code, `${asset} ${what} (HTTP ${res.status} from ${host})`, undefined, res.status);
  }
  if (res.status === 416) {
    await refuse();
    // The part already holds the server's whole file: the size check judges it.
    const serverSize = Number(/bytes \*\/(\d+)/.exec(res.headers.get("content-range") ?? "")?.[1]);
    if (offset > 0 && serverSize === offset) return -1;
    rmSync(job.part, { force: true });
    throw new RetryableError("the server refused to resume (HTTP 416); starting over", {
      code: "restart",
      message: `${host} could not go on where the download stopped; starting over`,
    });
  }
  if (res.status !== 200 && res.status !== 206) {
    await refuse();
    throw new RetryableError(`HTTP ${res.status}`, statusFailure(res.status, opts.url));
  }
  const range = res.status === 206 ? /bytes (\d+)-\d+\/(\d+|\*)/.exec(res.headers.get("content-range") ?? "") : null;
  if (res.status === 206 && Number(range?.[1]) !== offset) {
    await refuse();
    rmSync(job.part, { force: true });
    throw new RetryableError("the server sent the wrong range; starting over", {
      code: "restart",
      message: `${host} sent the wrong part of the file; starting over`,
    });
  }
  if (res.status === 200) offset = 0; // Range ignored, or the file changed (If-Range): start over.
  const length = Number(res.headers.get("content-length") ?? NaN);
  const total = range?.[2] && range[2] !== "*" ? Number(range[2]) : Number.isFinite(length) ? offset + length : undefined;
  if (job.total === undefined) job.total = total;
  else if (total !== undefined && total !== job.total) {
    await refuse();
    discard(job);
    throw new DownloadError(
      "verify_failed",
      `${asset} is ${total} bytes on the server, but ${job.total} were expected`,
      "the file may have changed on the server: try again later",
    );
  }
  const etag = res.headers.get("etag");
  const strongEtag = etag && !etag.startsWith("W/") ? etag : undefined;
  job.meta = { url: opts.url, size: job.total, validator: strongEtag ?? res.headers.get("last-modified") ?? undefined };
  writeFileSync(job.metaFile, JSON.stringify(job.meta));
  return offset;
}
