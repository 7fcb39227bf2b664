/**
 * The engines folder: `engines/<tag>/<variant>/` holds one unpacked build and
 * its install record (install.json); `engines/.tmp-*` are installs in
 * progress (left over only by a crash), `engines/releases/` the cached
 * release JSON. Lists, records and prunes installs.
 */
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Backend, InstalledBuild } from "../types";
import { removeTree } from "../../core/files/remove-tree";

export const RECORD_FILE = "install.json";
export const TMP_PREFIX = ".tmp-";
export const IMPORTED_PREFIX = "imported-";

export interface InstallRecord {
  tag: string;
  variant: string;
  backend: Backend;
  /** sd-server's path relative to the install folder. */
  server: string;
  source: "release" | "import" | "build";
  /** The zips it came from (release installs), or the folder or zip imported. */
  assets: { name: string; sha256?: string; size?: number }[];
  installedAt: string;
  /** Has started once: older installs of its variant may go. */
  good: boolean;
  /** Built with SD_RPC=ON: the ggml RPC protocol version it speaks ("5.0.1"), so it can use RPC workers. */
  rpc?: string;
}

export interface Install extends InstalledBuild {
  record: InstallRecord;
}

export function installDir(engines: string, tag: string, variant: string): string {
  return join(engines, tag, variant);
}

export function releaseCacheFile(engines: string, repo: string, tag: string): string {
  return join(engines, "releases", `${repo.replace(/[^\w.-]+/g, "_")}@${tag.replace(/[^\w.-]+/g, "_")}.json`);
}

export function readInstall(dir: string): Install | undefined {
  try {
    const record = JSON.parse(readFileSync(join(dir, RECORD_FILE), "utf8")) as InstallRecord;
    const serverPath = join(dir, record.server);
    if (!existsSync(serverPath)) return undefined;
    return { tag: record.tag, variant: record.variant, backend: record.backend, dir, serverPath, record, ...(record.rpc ? { rpc: record.rpc } : {}) };
  } catch {
    return undefined;
  }
}

export function writeRecord(dir: string, record: InstallRecord) {
  writeFileSync(join(dir, `${RECORD_FILE}.tmp`), JSON.stringify(record, null, 2));
  renameSync(join(dir, `${RECORD_FILE}.tmp`), join(dir, RECORD_FILE));
}

/** Every complete install, newest first. */
export function listInstalls(engines: string): Install[] {
  const out: Install[] = [];
  for (const tag of safeList(engines)) {
    if (tag.startsWith(".") || tag === "releases") continue;
    for (const variant of safeList(join(engines, tag))) {
      const install = readInstall(join(engines, tag, variant));
      if (install) out.push(install);
    }
  }
  return out.sort((a, b) => b.record.installedAt.localeCompare(a.record.installedAt));
}

/** Marks a build good and removes the other release installs of its variant (their folders). */
export function markInstallGood(engines: string, build: InstalledBuild): void {
  const install = readInstall(build.dir);
  if (!install) return;
  if (!install.record.good) writeRecord(build.dir, { ...install.record, good: true });
  if (install.record.source !== "release") return;
  for (const other of listInstalls(engines)) {
    if (other.dir === build.dir || other.record.source !== "release" || other.variant !== build.variant) continue;
    removeTree(other.dir);
    const tagDir = join(engines, other.tag);
    if (safeList(tagDir).length === 0) removeTree(tagDir);
  }
}

/** Removes installs a crash left half done. */
export function removeStaleTemps(engines: string): void {
  for (const name of safeList(engines)) {
    const path = join(engines, name);
    if (name.startsWith(TMP_PREFIX) && statSync(path).isDirectory()) removeTree(path);
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
