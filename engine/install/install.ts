/**
 * Atomic installs: a build is unpacked into `engines/.tmp-<random>/`, checked
 * (sd-server found, made executable), recorded, and only then renamed to
 * `engines/<tag>/<variant>/`. A failure leaves the previous install as it was.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, renameSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Backend, InstalledBuild } from "../types";
import { engineError } from "./engine-error";
import { installDir, TMP_PREFIX, writeRecord, type InstallRecord } from "./installed";
import { extractZip } from "./unzip";
import { removeTree } from "../../core/files/remove-tree";

export const SERVER_NAMES = ["sd-server", "sd-server.exe"];

/** The shallowest sd-server (or sd-server.exe) file under dir. */
export function findServer(dir: string): string | undefined {
  let level = [dir];
  while (level.length) {
    const next: string[] = [];
    for (const d of level.sort()) {
      for (const name of readdirSync(d).sort()) {
        const path = join(d, name);
        const st = lstatSync(path);
        if (st.isFile() && SERVER_NAMES.includes(name)) return path;
        if (st.isDirectory()) next.push(path);
      }
    }
    level = next;
  }
  return undefined;
}

export interface StageSpec {
  engines: string;
  tag: string;
  variant: string;
  backend: Backend;
  source: InstallRecord["source"];
  assets: InstallRecord["assets"];
  /** Fills the staging folder; the main build first. */
  fill(staging: string): Promise<void>;
  /** Runs on the staged build before it is committed; throws to refuse it, or names its backend (imports). */
  check?(serverPath: string): Promise<{ backend: Backend; variant: string } | void>;
  /** Extra files to unpack beside sd-server (the CUDA runtime zip). */
  beside?(serverDir: string): Promise<void>;
  /** Make sd-server executable (release zips); imports must already be. */
  makeExecutable?: boolean;
  /** The ggml RPC protocol version of a build with SD_RPC=ON. */
  rpc?: string;
}

/** Stages, checks and commits one install; returns it. */
export async function stageInstall(spec: StageSpec): Promise<InstalledBuild> {
  mkdirSync(spec.engines, { recursive: true });
  const staging = join(spec.engines, `${TMP_PREFIX}${crypto.randomUUID().slice(0, 8)}`);
  mkdirSync(staging);
  try {
    await spec.fill(staging);
    const server = findServer(staging);
    if (!server)
      throw engineError(
        "verify_failed",
        `no sd-server program found in ${spec.assets.map((a) => a.name).join(", ")}`,
        "a build must contain sd-server (or sd-server.exe)",
      );
    if (spec.makeExecutable && process.platform !== "win32") chmodSync(server, 0o755);
    await spec.beside?.(dirname(server));
    const { backend, variant } = (await spec.check?.(server)) ?? spec;
    const record: InstallRecord = {
      tag: spec.tag,
      variant,
      backend,
      server: relative(staging, server),
      source: spec.source,
      assets: spec.assets,
      installedAt: new Date().toISOString(),
      ...(spec.rpc ? { rpc: spec.rpc } : {}),
      good: false,
    };
    writeRecord(staging, record);
    const target = installDir(spec.engines, spec.tag, variant);
    commit(staging, target);
    return { tag: spec.tag, variant, backend, dir: target, serverPath: join(target, record.server), ...(spec.rpc ? { rpc: spec.rpc } : {}) };
  } finally {
    removeTree(staging);
  }
}

/** Renames staging to target; an existing target (a reinstall) is moved aside and restored if the rename fails. */
function commit(staging: string, target: string) {
  mkdirSync(dirname(target), { recursive: true });
  if (!existsSync(target)) return renameSync(staging, target);
  const aside = `${staging}-old`;
  renameSync(target, aside);
  try {
    renameSync(staging, target);
  } catch (err) {
    renameSync(aside, target);
    throw err;
  }
  removeTree(aside);
}

export interface ZipInstall {
  engines: string;
  tag: string;
  variant: string;
  backend: Backend;
  /** The verified build zip. */
  zip: { path: string; name: string; sha256?: string; size?: number };
  /** Verified zips unpacked beside sd-server (cudart). */
  extras?: { path: string; name: string; sha256?: string; size?: number }[];
}

/** Installs a verified release zip (and its extras) into engines/<tag>/<variant>/. */
export function installZip(spec: ZipInstall): Promise<InstalledBuild> {
  const extras = spec.extras ?? [];
  return stageInstall({
    ...spec,
    source: "release",
    assets: [spec.zip, ...extras].map(({ name, sha256, size }) => ({ name, sha256, size })),
    makeExecutable: true,
    fill: async (staging) => void (await extractZip(spec.zip.path, staging)),
    beside: async (dir) => {
      for (const extra of extras) await extractZip(extra.path, dir);
    },
  });
}
