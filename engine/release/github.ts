/**
 * Reads one release through the GitHub REST API
 * (`/repos/{repo}/releases/tags/{tag}` or `/releases/latest`) and keeps the
 * answer in the data dir, so later starts work offline.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { networkFailure } from "../../downloads/net-failure";
import { EngineError, engineError } from "../install/engine-error";
import type { Release, ReleaseAsset } from "./assets";

export interface ReleaseSource {
  apiBase: string;
  repo: string;
  /** A tag, or "latest". */
  tag: string;
}

interface GithubAsset {
  name: string;
  size: number;
  digest?: string | null;
  browser_download_url: string;
}

/** The parts of a GitHub release JSON we use. */
export function fromGithubRelease(json: unknown): Release {
  const r = json as { tag_name?: unknown; assets?: unknown };
  if (typeof r?.tag_name !== "string" || !Array.isArray(r.assets)) throw new Error("not a GitHub release: tag_name or assets missing");
  const assets: ReleaseAsset[] = (r.assets as GithubAsset[])
    .filter((a) => typeof a?.name === "string" && typeof a.browser_download_url === "string")
    .map((a) => ({ name: a.name, size: Number(a.size) || 0, digest: a.digest ?? undefined, url: a.browser_download_url }));
  return { tag: r.tag_name, assets };
}

export function releaseUrl(src: ReleaseSource): string {
  const base = src.apiBase.replace(/\/+$/, "");
  const path = src.tag === "latest" ? "releases/latest" : `releases/tags/${encodeURIComponent(src.tag)}`;
  return `${base}/repos/${src.repo}/${path}`;
}

export interface FetchReleaseOptions {
  /** Where the last good answer is kept (one file per repo+tag). */
  cacheFile: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Use a cached copy without asking the network (a pinned tag does not change). */
  preferCache?: boolean;
}

export interface FetchedRelease extends Release {
  /** true when the network failed and the cached copy was used. */
  fromCache: boolean;
}

/** The release, from the network when it answers, else from the cache; throws DownloadFailed when neither has it. */
export async function fetchRelease(src: ReleaseSource, opts: FetchReleaseOptions): Promise<FetchedRelease> {
  const url = releaseUrl(src);
  if (opts.preferCache) {
    const cached = readCache(opts.cacheFile);
    if (cached && cached.tag === src.tag) return { ...cached, fromCache: true };
  }
  let problem: string;
  let unreachable = false;
  try {
    const signal = AbortSignal.any([AbortSignal.timeout(opts.timeoutMs ?? 15_000), ...(opts.signal ? [opts.signal] : [])]);
    const res = await (opts.fetch ?? fetch)(url, { headers: { accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" }, signal });
    if (res.ok) {
      const release = fromGithubRelease(await res.json());
      writeCache(opts.cacheFile, release);
      return { ...release, fromCache: false };
    }
    problem = res.status === 404 ? `release "${src.tag}" not found in ${src.repo}` : `${url} answered HTTP ${res.status}`;
    if (res.status === 404) throw engineError("download_failed", problem, "check engine.release_repo and engine.release_tag in the settings");
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    if (err instanceof EngineError) throw err;
    // In words: the resolver's own (getaddrinfo ENOTFOUND) are for the log.
    problem = networkFailure(err, url).message;
    unreachable = true;
  }
  const cached = readCache(opts.cacheFile);
  if (cached) return { ...cached, fromCache: true };
  const error = engineError("download_failed", problem, "check the internet connection (or import a build with `easy-diffusion engine import`)");
  if (unreachable) error.info.offline = true;
  throw error;
}

function writeCache(file: string, release: Release) {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(release, null, 1));
    renameSync(`${file}.tmp`, file);
  } catch {
    // The cache only helps offline starts.
  }
}

function readCache(file: string): Release | undefined {
  try {
    const r = JSON.parse(readFileSync(file, "utf8")) as Release;
    return typeof r.tag === "string" && Array.isArray(r.assets) ? r : undefined;
  } catch {
    return undefined;
  }
}
