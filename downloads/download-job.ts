/**
 * One download's state across its tries, and its part file: `<dest>.part`
 * with a `<dest>.part.json` beside it that remembers which file (URL, size,
 * validator) the bytes belong to, so a resume never mixes two versions.
 */
import { readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import type { DownloadOptions } from "./download-options";
import { NamedError } from "../core/server/errors";
import { DownloadError } from "./errors";
import type { PartWriter, WriteFailure } from "./part-writer";
import type { ProgressMeter } from "./progress";

export interface PartMeta {
  url: string;
  /** Strong ETag or Last-Modified of the file the part belongs to. */
  validator?: string;
  size?: number;
}

export interface DownloadJob {
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

/** A try that failed in a way worth trying again: `message` is the raw cause (for the log), `words` what the user reads. */
export class RetryableError extends NamedError {
  override readonly code = "download_failed";
  override readonly status = 502;
  constructor(
    message: string,
    readonly words: { code: string; message: string },
  ) {
    super(message);
  }
}

export function readMeta(file: string): PartMeta | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PartMeta;
  } catch {
    return undefined;
  }
}

/** Deletes the part and its meta: what is there cannot be trusted or resumed. */
export function discard(job: DownloadJob) {
  rmSync(job.part, { force: true });
  rmSync(job.metaFile, { force: true });
}

/** The writer thread reports failures as plain objects, not Errors. */
export function isWriteFailure(err: unknown): err is WriteFailure {
  return !!err && typeof err === "object" && !(err instanceof Error) && "message" in err;
}

/** A failed write ends the download and discards the part (a half-written block cannot be resumed). */
export function writeError(job: DownloadJob, f: WriteFailure): DownloadError {
  discard(job);
  if (f.code === "ENOSPC")
    return new DownloadError(
      "disk_full",
      `the disk is full: could not save ${job.asset}; the partial download was removed`,
      `free some space in ${dirname(job.part)} and try again`,
    );
  return new DownloadError("download_failed", `could not write ${job.part}: ${f.message}`);
}
