/**
 * Fetches the upstream source of one release tag plus the submodules it pins
 * (ggml; libwebp and libwebm for WebP and WebM output, where the tag has them:
 * .gitmodules at 97d2990 lists thirdparty/libwebp and thirdparty/libwebm),
 * through the GitHub REST API base used for release downloads: commits/{tag}
 * → the tag's commit, contents/<path>?ref= → each submodule's commit (a 404
 * for an optional one: that tag has none), tarball/{sha} for each tree. Tarballs go through
 * the shared downloader (resume, retries, progress as kind "source") into
 * the downloads folder, so a second build reuses them; each is checked to
 * unpack into `<owner>-<repo>-<sha7>/`, the commit it was asked for.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import "../../downloads/progress";
import { join } from "node:path";
import type { EventBus } from "../../core/events/bus";
import { download, type DownloadOptions } from "../../downloads/download";
import { releaseCacheFile } from "../install/installed";
import { fetchRelease } from "../release/github";
import { BuildError } from "./runner";
import { removeTree } from "../../core/files/remove-tree";

export interface SourceFetchOptions {
  apiBase: string;
  /** "owner/name" of stable-diffusion.cpp. */
  repo: string;
  tag: string;
  /** Where tarballs are kept between builds. */
  downloadsDir: string;
  fetch?: typeof fetch;
  bus?: EventBus;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  download?: Partial<Pick<DownloadOptions, "retries" | "backoffMs" | "stallMs">>;
}

export interface SourceTree {
  repo: string;
  sha: string;
  tarball: string;
}

export interface FetchedSource {
  main: SourceTree;
  ggml: SourceTree;
  /** The optional submodules the tag pins, with the folder each goes to. */
  media: { path: MediaSubmodule; tree: SourceTree }[];
}

/** Upstream's media submodules: with their sources in the tree its CMake builds WebP and WebM output (SD_WEBP, SD_WEBM). */
export const MEDIA_SUBMODULES = ["thirdparty/libwebp", "thirdparty/libwebm"] as const;
export type MediaSubmodule = (typeof MEDIA_SUBMODULES)[number];

async function getJson(o: SourceFetchOptions, path: string, optional = false): Promise<any> {
  const url = `${o.apiBase.replace(/\/$/, "")}${path}`;
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, { headers: { accept: "application/vnd.github+json", ...o.headers }, signal: o.signal });
  } catch (err) {
    throw new BuildError("download", `could not reach ${url}: ${(err as Error).message}`);
  }
  if (optional && res.status === 404) return null;
  if (!res.ok) throw new BuildError("download", `${url} answered ${res.status}`);
  return res.json();
}

/** "owner/name" from a git URL such as https://github.com/ggml-org/ggml.git. */
export function repoFromGitUrl(url: string): string | undefined {
  const m = /github\.com[/:]([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

async function tarball(o: SourceFetchOptions, repo: string, sha: string): Promise<SourceTree> {
  const name = `${repo.replace("/", "-")}-${sha}.tar.gz`;
  const dest = join(o.downloadsDir, "source", name);
  if (!existsSync(dest)) {
    try {
      await download({
        url: `${o.apiBase.replace(/\/$/, "")}/repos/${repo}/tarball/${sha}`,
        dest,
        asset: name,
        kind: "source",
        bus: o.bus,
        signal: o.signal,
        fetch: o.fetch,
        headers: o.headers,
        ...o.download,
      });
    } catch (err) {
      if (o.signal?.aborted) throw err;
      throw new BuildError("download", `downloading ${name} failed: ${(err as Error).message}`);
    }
  }
  // The tarball is kept for the next build: its row in the Downloads tab is finished.
  const size = statSync(dest).size;
  o.bus?.publish("download", { id: name, kind: "source", asset: name, bytes: size, total: size, rate: 0, phase: "installed" });
  return { repo, sha, tarball: dest };
}

/**
 * The concrete tag to build: config's tag, or for "latest" the newest release's tag, asked the
 * same API base (and cached in the same file) as release downloads, so the build lands in
 * engines/<tag>/built-<backend>/ beside that release's builds.
 */
export async function resolveTag(o: Pick<SourceFetchOptions, "apiBase" | "repo" | "tag" | "fetch" | "signal"> & { engines: string }): Promise<string> {
  if (o.tag !== "latest") return o.tag;
  try {
    const release = await fetchRelease(
      { apiBase: o.apiBase, repo: o.repo, tag: "latest" },
      { cacheFile: releaseCacheFile(o.engines, o.repo, "latest"), fetch: o.fetch, signal: o.signal },
    );
    return release.tag;
  } catch (err) {
    if (o.signal?.aborted) throw err;
    throw new BuildError("download", `could not find the latest release of ${o.repo}: ${(err as Error).message}`);
  }
}

/** Resolves the tag and the submodule, then downloads (or reuses) both tarballs. */
export async function fetchSource(o: SourceFetchOptions): Promise<FetchedSource> {
  const commit = await getJson(o, `/repos/${o.repo}/commits/${encodeURIComponent(o.tag)}`);
  const sha = String(commit?.sha ?? "");
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new BuildError("download", `tag ${o.tag} of ${o.repo} did not resolve to a commit`);
  const ggml = await submodule(o, sha, "ggml");
  if (!ggml) throw new BuildError("download", `${o.repo}@${sha.slice(0, 7)} has no ggml submodule`);
  const media: FetchedSource["media"] = [];
  for (const path of MEDIA_SUBMODULES) {
    const found = await submodule(o, sha, path, true);
    if (found) media.push({ path, tree: await tarball(o, found.repo, found.sha) });
  }
  return { main: await tarball(o, o.repo, sha), ggml: await tarball(o, ggml.repo, ggml.sha), media };
}

/** A submodule's repository and commit at `sha` (contents API, `type: "submodule"`); null when an optional one is absent. */
async function submodule(o: SourceFetchOptions, sha: string, path: string, optional = false): Promise<{ repo: string; sha: string } | null> {
  // An optional one may be missing (404) at an older tag; a required one's 404 is an error (getJson throws).
  const sub = await getJson(o, `/repos/${o.repo}/contents/${path}?ref=${sha}`, optional);
  const subSha = String(sub?.sha ?? "");
  const repo = sub?.type === "submodule" ? repoFromGitUrl(String(sub.submodule_git_url ?? "")) : undefined;
  return repo && /^[0-9a-f]{40}$/.test(subSha) ? { repo, sha: subSha } : null;
}

/** Unpacks a tarball into `dest`, checking that its single top folder names the expected commit. */
export async function unpackTree(tree: SourceTree, dest: string, scratch: string): Promise<void> {
  removeTree(scratch);
  mkdirSync(scratch, { recursive: true });
  const proc = Bun.spawn(["tar", "-xzf", tree.tarball, "-C", scratch], { stderr: "pipe" });
  const code = await proc.exited;
  if (code !== 0) throw new BuildError("download", `unpacking ${tree.tarball} failed: ${(await new Response(proc.stderr).text()).trim()}`);
  const top = readdirSync(scratch);
  const expected = `${tree.repo.replace("/", "-")}-${tree.sha.slice(0, 7)}`;
  if (top.length !== 1 || top[0] !== expected) {
    rmSync(tree.tarball, { force: true });
    throw new BuildError("download", `${tree.tarball} is not ${tree.repo}@${tree.sha.slice(0, 7)} (found ${top.join(", ") || "nothing"}); it was deleted`);
  }
  removeTree(dest);
  renameSync(join(scratch, expected), dest);
  removeTree(scratch);
}
