/**
 * Opening a picture file to serve it (issue 26): the check is made on the
 * file actually opened, at the moment it is served, so a file swapped for a
 * symlink after it was indexed cannot be served in its place.
 * - where: the opened file (fstat) is the same file as the path's realpath,
 *   and that realpath lies inside one of the allowed folders;
 * - what: its bytes sniff as a PNG, JPEG or WebP, the kind its name and its
 *   record say (a private key renamed or linked as `x.png` is not a picture).
 * The bytes served are the ones read from that open file.
 */
import { closeSync, readFileSync } from "node:fs";
import { openInside, readHead } from "../core/files/open-inside";
import { ApiError } from "../core/server/errors";
import { sniffImage, type ImageKind } from "../common/image-data";

const BY_EXTENSION: Record<string, ImageKind> = { png: "png", jpg: "jpeg", jpeg: "jpeg", webp: "webp" };

/** The picture kind a file name says, or null for other names. */
export function kindOfName(path: string): ImageKind | null {
  return BY_EXTENSION[/\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase() ?? ""] ?? null;
}

/** 403 `forbidden`: the file resolves outside the folders it may be served from. */
export class OutsideFolderError extends ApiError {
  override name = "OutsideFolderError";
  constructor(what: string) {
    super(403, "forbidden", `${what} is outside the folders pictures are served from`);
  }
}

/** 422 `not_a_picture`: the file's bytes are not the picture its name and record say. */
export class NotAPictureError extends ApiError {
  override name = "NotAPictureError";
  constructor(what: string, expected: ImageKind | null, found: ImageKind | null) {
    super(
      422,
      "not_a_picture",
      `${what} is not ${expected ? `the ${expected.toUpperCase()} picture its name says` : "a picture"} ` +
        `(its bytes are ${found ? found.toUpperCase() : "not a PNG, JPEG or WebP"})`,
    );
  }
}

/**
 * Opens `path`, checks where it really is (core/files/open-inside.ts) and what it is, and gives its
 * bytes (`head` only: the first 16, for a caller that streams the file after the check). Throws
 * OutsideFolderError / NotAPictureError; null when missing.
 */
function openChecked(path: string, folders: string[], what: string, expected: ImageKind | null, head: boolean): Uint8Array | null {
  const opened = openInside(path, folders);
  if (opened === "outside") throw new OutsideFolderError(what);
  if (!opened) return null;
  try {
    const bytes = head ? readHead(opened.fd, 16) : new Uint8Array(readFileSync(opened.fd));
    const found = sniffImage(bytes);
    const named = kindOfName(path);
    if (!found || (expected && found !== expected) || (named && found !== named)) throw new NotAPictureError(what, expected ?? named, found);
    return bytes;
  } finally {
    closeSync(opened.fd);
  }
}

/** The picture's bytes, checked as the module says; null when the file is gone. */
export function readServedPicture(path: string, folders: string[], what: string, expected: ImageKind | null = null): Uint8Array | null {
  return openChecked(path, folders, what, expected, false);
}

/**
 * The same check for a caller that streams the file itself and leaves refused
 * files out (a zip): true only for a picture that may be served now.
 */
export function isServablePicture(path: string, folders: string[], expected: ImageKind | null = null): boolean {
  try {
    return openChecked(path, folders, path, expected, true) !== null;
  } catch (err) {
    if (err instanceof OutsideFolderError || err instanceof NotAPictureError) return false;
    throw err;
  }
}
