/**
 * Safe zip extraction with yauzl (streaming, validates sizes): keeps the
 * Unix permission bits (exec bits of sd-server and its libraries), and refuses
 * any entry that would land outside the target (zip-slip: `..`, absolute
 * paths, drive letters, symlinks pointing out).
 */
import { chmodSync, createWriteStream, lstatSync, mkdirSync, readlinkSync, symlinkSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import type yauzl from "yauzl";
import { isInside } from "../../core/files/inside";
import { engineError } from "./engine-error";
import { NamedError } from "../../core/server/errors";

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
/** Made-by host "Unix" in the high byte of versionMadeBy: only then do the external attributes hold a mode. */
const HOST_UNIX = 3;

export class UnsafeZipError extends NamedError {
  override name = "UnsafeZipError";
  override readonly code = "unsafe_zip";
  override readonly status = 400;
}

/** The path an entry name maps to under root, or an UnsafeZipError. */
export function entryPath(root: string, name: string): string {
  if (name.includes("\0") || name.includes("\\") || isAbsolute(name) || /^[a-zA-Z]:/.test(name) || name.split("/").includes(".."))
    throw new UnsafeZipError(`unsafe path in zip: "${name}"`);
  const path = resolve(root, name);
  if (!isInside(root, path)) throw new UnsafeZipError(`unsafe path in zip: "${name}"`);
  return path;
}

export interface ExtractResult {
  files: number;
  bytes: number;
}

/** Extracts `zipPath` into `target` (created if missing). Throws UnsafeZipError before writing an escaping entry. */
export async function extractZip(zipPath: string, target: string): Promise<ExtractResult> {
  const root = resolve(target);
  mkdirSync(root, { recursive: true });
  let zip: yauzl.ZipFile;
  try {
    // Loaded here, not at the top: yauzl (and node:stream under it) costs ~4 ms of every start and only an install needs it.
    const { default: yauzl } = await import("yauzl");
    // decodeStrings off: yauzl would reject unsafe names with a terse message; ours names the entry.
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, validateEntrySizes: true, decodeStrings: false });
  } catch (err) {
    throw engineError("verify_failed", `${zipPath} is not a readable zip file: ${(err as Error).message}`);
  }
  const result: ExtractResult = { files: 0, bytes: 0 };
  const links: { name: string; path: string; link: string }[] = [];
  try {
    for await (const entry of entries(zip)) {
      const name = entry.fileNameRaw.toString(entry.generalPurposeBitFlag & 0x800 ? "utf8" : "latin1");
      const path = entryPath(root, name.replace(/\/+$/, ""));
      const unix = entry.versionMadeBy >> 8 === HOST_UNIX;
      const mode = unix ? (entry.externalFileAttributes >>> 16) & 0xffff : 0;
      if (name.endsWith("/") || (mode & S_IFMT) === S_IFDIR) {
        mkdirSync(path, { recursive: true });
        continue;
      }
      // An earlier entry may have made a folder on the way a symlink: never write through one that leads out.
      if (!landsInside(root, dirname(path))) throw new UnsafeZipError(`unsafe path in zip: "${name}" goes through a symlink out of the folder`);
      mkdirSync(dirname(path), { recursive: true });
      if ((mode & S_IFMT) === S_IFLNK) {
        const link = (await readAll(await zip.openReadStreamPromise(entry))).toString("utf8");
        if (isAbsolute(link) || link.includes("\0") || !landsInside(root, dirname(path), link))
          throw new UnsafeZipError(`unsafe symlink in zip: "${name}" → "${link}"`);
        symlinkSync(link, path);
        links.push({ name, path, link });
        continue;
      }
      const perms = mode & 0o777 || 0o644;
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(path, { mode: perms }));
      chmodSync(path, perms); // the umask may have dropped bits
      result.files++;
      result.bytes += entry.uncompressedSize;
    }
  } finally {
    zip.close();
  }
  // A later entry can change where an earlier link leads (`a → s/../x`, then `s → .`): check them all again on the finished tree.
  for (const l of links) {
    if (!landsInside(root, dirname(l.path), l.link))
      throw new UnsafeZipError(`unsafe symlink in zip: "${l.name}" → "${l.link}" leads out of the folder through another link`);
  }
  return result;
}

const MAX_LINK_HOPS = 40;

/**
 * Whether `rest` (a relative path as written, `..` kept), taken from the folder
 * `from` inside `root`, really stays inside `root`: resolved component by
 * component against the extracted tree, following the symlinks made so far
 * (missing parts taken as written), and checking every step.
 */
export function landsInside(root: string, from: string, rest = ""): boolean {
  const split = (p: string) => p.split(/[\\/]/).filter((c) => c !== "" && c !== ".");
  const parts = [...split(relative(root, from)), ...split(rest)];
  let current = root;
  let hops = 0;
  while (parts.length) {
    const part = parts.shift()!;
    const next = part === ".." ? dirname(current) : join(current, part);
    if (next !== root && !isInside(root, next)) return false;
    let target: string | undefined;
    try {
      if (lstatSync(next).isSymbolicLink()) target = readlinkSync(next);
    } catch {
      // Not there (yet): taken as written.
    }
    if (target === undefined) {
      current = next;
      continue;
    }
    // A link: go on from the folder that holds it, along its target.
    if (++hops > MAX_LINK_HOPS || isAbsolute(target)) return false;
    parts.unshift(...split(target));
  }
  return true;
}

async function* entries(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  let next: { resolve: (e: yauzl.Entry | undefined) => void; reject: (e: Error) => void } | undefined;
  zip.on("entry", (e: yauzl.Entry) => next?.resolve(e));
  zip.on("end", () => next?.resolve(undefined));
  zip.on("error", (err: Error) => next?.reject(err));
  for (;;) {
    const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
      next = { resolve, reject };
      zip.readEntry();
    });
    if (!entry) return;
    yield entry;
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

