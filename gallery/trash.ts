/**
 * Deleting a picture moves it to the system trash where there is one (the
 * freedesktop.org trash on Linux, ~/.Trash on macOS), else to the app's own
 * trash folder (Windows, or a picture on another drive than the trash), so
 * the app can undo it and the user can still find it. Nothing is unlinked.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import type { Env } from "../core/env";
import { NamedError } from "../core/server/errors";

export interface TrashLocation {
  /** "freedesktop": files/ + info/*.trashinfo; "folder": a plain folder (macOS ~/.Trash, the app's own). */
  kind: "freedesktop" | "folder";
  dir: string;
}

export interface TrashedFile {
  original: string;
  trashed: string;
  /** The .trashinfo written for it (freedesktop). */
  info?: string;
}

/** Where deleted pictures go on this system; `fallback` (the app's folder) where there is no system trash. */
export function trashLocation(env: Pick<Env, "platform" | "home" | "xdgDataHome">, fallback: string): TrashLocation {
  if (env.platform === "darwin") return { kind: "folder", dir: join(env.home, ".Trash") };
  if (env.platform === "win32") return { kind: "folder", dir: fallback };
  return { kind: "freedesktop", dir: join(env.xdgDataHome ?? join(env.home, ".local", "share"), "Trash") };
}

function freeName(dir: string, name: string, taken: (n: string) => boolean): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let candidate = name;
  for (let i = 2; taken(candidate); i++) candidate = `${stem} ${i}${ext}`;
  return join(dir, candidate);
}

/** Moves across drives too: rename, else copy and remove. */
function move(from: string, to: string) {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
    copyFileSync(from, to);
    unlinkSync(from);
  }
}

export function moveToTrash(path: string, trash: TrashLocation, now = new Date()): TrashedFile {
  if (trash.kind === "folder") {
    mkdirSync(trash.dir, { recursive: true });
    const target = freeName(trash.dir, basename(path), (n) => existsSync(join(trash.dir, n)));
    move(path, target);
    return { original: path, trashed: target };
  }
  const files = join(trash.dir, "files");
  const infoDir = join(trash.dir, "info");
  mkdirSync(files, { recursive: true });
  mkdirSync(infoDir, { recursive: true });
  const target = freeName(files, basename(path), (n) => existsSync(join(files, n)) || existsSync(join(infoDir, `${n}.trashinfo`)));
  const info = join(infoDir, `${basename(target)}.trashinfo`);
  const date = now.toISOString().slice(0, 19);
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  writeFileSync(info, `[Trash Info]\nPath=${encoded}\nDeletionDate=${date}\n`);
  try {
    move(path, target);
  } catch (err) {
    rmSync(info, { force: true });
    throw err;
  }
  return { original: path, trashed: target, info };
}

export class RestoreConflictError extends NamedError {
  override name = "RestoreConflictError";
  override readonly code = "conflict";
  override readonly status = 409;
}

/** Puts a trashed file back where it was (refusing to overwrite a new file of the same name). */
export function restoreFromTrash(item: TrashedFile): void {
  if (existsSync(item.original)) throw new RestoreConflictError(`${item.original} exists again; not overwritten`);
  mkdirSync(dirname(item.original), { recursive: true });
  move(item.trashed, item.original);
  if (item.info) rmSync(item.info, { force: true });
}
