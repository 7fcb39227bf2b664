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
import { closeSync, fstatSync, openSync, readFileSync, readSync, realpathSync, statSync } from "node:fs";
import { isInside } from "../core/files/inside";
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

function realFolders(folders: string[]): string[] {
  return folders.flatMap((f) => {
    try {
      return [realpathSync(f)];
    } catch {
      return [];
    }
  });
}

/**
 * Opens `path`, checks where it really is and what it is, and gives its
 * bytes (`head` only: the first 16, for a caller that streams the file after
 * the check). Throws OutsideFolderError / NotAPictureError; null when missing.
 */
function openChecked(path: string, folders: string[], what: string, expected: ImageKind | null, head: boolean): Uint8Array | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  try {
    const opened = fstatSync(fd);
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      return null;
    }
    const now = statSync(real);
    // The path must still name the file that was opened (no swap between open and realpath).
    if (now.ino !== opened.ino || now.dev !== opened.dev || !opened.isFile()) throw new OutsideFolderError(what);
    if (!realFolders(folders).some((f) => isInside(f, real))) throw new OutsideFolderError(what);
    let bytes: Uint8Array;
    if (head) {
      bytes = new Uint8Array(16);
      bytes = bytes.subarray(0, readSync(fd, bytes, 0, 16, 0));
    } else bytes = new Uint8Array(readFileSync(fd));
    const found = sniffImage(bytes);
    const named = kindOfName(path);
    if (!found || (expected && found !== expected) || (named && found !== named)) throw new NotAPictureError(what, expected ?? named, found);
    return bytes;
  } finally {
    closeSync(fd);
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
