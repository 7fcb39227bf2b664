/**
 * Why a download failed, as a named error with a code the caller maps to its
 * own words (the engine installer adds its hints, the model downloader its own).
 */
import { NamedError } from "../core/server/errors";

export type DownloadErrorCode =
  /** 401/403: a token, or accepting a licence on the site, is needed. */
  | "unauthorized"
  /** 404/410: the file is not there. */
  | "not_available"
  | "download_failed"
  /** The host could not be reached at all (no network, DNS, refused) on every try. */
  | "offline"
  | "verify_failed"
  | "disk_full"
  /** The URL or a redirect is not http(s), or (refusePrivate) names this computer or a local network. */
  | "not_allowed";

/** 502 with its code: the download is the server's, so its failure is upstream's, not the caller's. */
export class DownloadError extends NamedError {
  override name = "DownloadError";
  override readonly status = 502;
  constructor(
    override readonly code: DownloadErrorCode,
    message: string,
    readonly hint?: string,
    /** The HTTP status that ended it, when one did. */
    readonly httpStatus?: number,
    /** The network's own words (getaddrinfo ENOTFOUND …), for the log only. */
    readonly detail?: string,
  ) {
    super(message);
  }
}
