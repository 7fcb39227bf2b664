/**
 * The BuildProvider the engine manager runs on: detects the machine, reads
 * the release (cached, so later starts need no network), picks candidates
 * with choose(), and downloads + installs the best one when no installed
 * build fits. Installed builds come back best first; imported builds lead.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../../core/config/schema";
import type { EventBus } from "../../core/events/bus";
import type { Logger } from "../../core/log";
import type { Paths } from "../../core/paths";
import { choose, type Candidate, type Choice } from "../detect/choose";
import type { BuildTools } from "../detect/build-candidate";
import { detectBuildTools, systemProbes } from "../build/toolchain";
import { detectHardware } from "../detect/detect";
import type { Hardware } from "../detect/hardware";
import { download, type DownloadOptions } from "../../downloads/download";
import { DownloadError } from "../../downloads/errors";
import "../../downloads/progress";
import { fetchRelease, type FetchedRelease } from "../release/github";
import type { BuildProvider, InstalledBuild } from "../types";
import { asEngineError, EngineError } from "./engine-error";
import { installZip } from "./install";
import { listInstalls, markInstallGood, releaseCacheFile, removeStaleTemps, type Install } from "./installed";

export interface BuildProviderOptions {
  config: { readonly config: Config };
  paths: Pick<Paths, "engines" | "downloads">;
  bus?: EventBus;
  log?: Logger;
  /** Hardware detection; tests inject a recorded machine. */
  detect?: () => Promise<Hardware>;
  fetch?: typeof fetch;
  /** Which backend SDKs (nvcc, hipcc) are installed, for the plan's build candidate; tests inject them. */
  buildTools?: () => BuildTools;
  /** Passed to every download (tests shorten backoff and stall times). */
  download?: Partial<Pick<DownloadOptions, "retries" | "backoffMs" | "stallMs">>;
}

/** What the Engine tab shows: the machine, the release and what was chosen and why. */
/** After the release could not be reached, how long before the network is asked again. */
export const OFFLINE_RECHECK_MS = 60_000;

export interface EnginePlan {
  hardware: Hardware;
  /**
   * offline: the release could not be read (no network, nothing cached) while a build is installed:
   * not an error, a note ("offline: can't check for a newer engine"); the choice is then empty.
   */
  release: { tag: string; fromCache: boolean; offline?: string };
  choice: Choice;
}

export interface EngineBuildProvider extends BuildProvider {
  /** Detects, reads the release and chooses; no download. */
  plan(signal?: AbortSignal): Promise<EnginePlan>;
  /** Installed builds on disk, newest first; no network. */
  installed(): Install[];
  /** Downloads and installs a candidate: the best, or the one of `variant`; `force` reinstalls one already there. */
  install(opts?: { variant?: string; force?: boolean; signal?: AbortSignal }): Promise<InstalledBuild>;
  /** After `failed` would not start: installs the next candidate that is not installed yet, if any. */
  next(failed: InstalledBuild, signal?: AbortSignal): Promise<InstalledBuild | undefined>;
}

/** An InstalledBuild without the install record. */
function strip(i: InstalledBuild): InstalledBuild {
  return { tag: i.tag, variant: i.variant, backend: i.backend, dir: i.dir, serverPath: i.serverPath };
}

export function createBuildProvider(o: BuildProviderOptions): EngineBuildProvider {
  const engineConfig = () => o.config.config.engine;
  const detect = o.detect ?? (() => detectHardware());
  let hardware: Promise<Hardware> | undefined;
  /** One install at a time; concurrent callers wait for it. */
  let installing: Promise<unknown> = Promise.resolve();
  removeStaleTemps(o.paths.engines);

  async function readRelease(signal?: AbortSignal): Promise<FetchedRelease> {
    const cfg = engineConfig();
    const src = { apiBase: cfg.api_base, repo: cfg.release_repo, tag: cfg.release_tag };
    return fetchRelease(src, { cacheFile: releaseCacheFile(o.paths.engines, src.repo, src.tag), fetch: o.fetch, signal, preferCache: src.tag !== "latest" });
  }

  /** The last time the release could not be reached: not asked again before OFFLINE_RECHECK_MS (each page load would wait for it). */
  let offline: { at: number; error: EngineError } | undefined;

  async function releaseOrOffline(signal?: AbortSignal): Promise<FetchedRelease> {
    if (offline && Date.now() - offline.at < OFFLINE_RECHECK_MS) throw offline.error;
    try {
      const release = await readRelease(signal);
      offline = undefined;
      return release;
    } catch (err) {
      if (err instanceof EngineError && err.info.offline) offline = { at: Date.now(), error: err };
      throw err;
    }
  }

  async function plan(signal?: AbortSignal): Promise<EnginePlan> {
    hardware ??= detect().catch((err) => {
      hardware = undefined; // try again next time
      throw err;
    });
    const [hw, release] = await Promise.all([hardware, releaseOrOffline(signal).catch((err: unknown) => err as Error)]);
    if (release instanceof Error) {
      const installs = listInstalls(o.paths.engines);
      // Offline with a build that runs: nothing is blocked, so it is a note, not an error.
      if (!(release instanceof EngineError && release.info.offline) || !installs.length) throw release;
      o.log?.info("engine: offline, can't check for a newer engine", { error: release.message });
      return {
        hardware: hw,
        release: { tag: installs[0]!.tag, fromCache: true, offline: "offline: can't check for a newer engine" },
        choice: { candidates: [], rejected: [] },
      };
    }
    const tools = (o.buildTools ?? (() => detectBuildTools({ ...systemProbes(), cxx17: undefined })))();
    return { hardware: hw, release: { tag: release.tag, fromCache: release.fromCache }, choice: choose(hw, release.assets, engineConfig().backend, tools) };
  }

  async function installCandidate(tag: string, c: Candidate, signal?: AbortSignal, force = false): Promise<InstalledBuild> {
    const run = installing.then(async () => {
      // A caller that waited for another's install of the same build gets that one.
      const there = force ? undefined : listInstalls(o.paths.engines).find((i) => i.tag === tag && i.variant === c.variant);
      if (there) return strip(there);
      const zips = [];
      for (const asset of [c.asset, ...c.extraAssets]) {
        const dest = join(o.paths.downloads, asset.name);
        o.log?.info("engine: downloading", { asset: asset.name, size: asset.size });
        const r = await download({
          url: asset.url,
          dest,
          asset: asset.name,
          kind: "engine",
          size: asset.size || undefined,
          sha256: asset.digest,
          bus: o.bus,
          fetch: o.fetch,
          signal,
          ...o.download,
        }).catch((err) => {
          throw err instanceof DownloadError ? asEngineError(err) : err;
        });
        zips.push({ path: r.path, name: asset.name, sha256: r.sha256, size: r.size });
      }
      const done = { id: c.asset.name, kind: "engine" as const, asset: c.asset.name, bytes: zips[0]!.size, total: zips[0]!.size, rate: 0 };
      o.bus?.publish("download", { ...done, phase: "installing" });
      try {
        const build = await installZip({ engines: o.paths.engines, tag, variant: c.variant, backend: c.backend, zip: zips[0]!, extras: zips.slice(1) });
        o.log?.info("engine: installed", { tag, variant: c.variant, dir: build.dir });
        o.bus?.publish("download", { ...done, phase: "installed" });
        return build;
      } finally {
        for (const z of zips) rmSync(z.path, { force: true });
      }
    });
    installing = run.catch(() => {});
    return run;
  }

  /** Installed builds in the order to try them. */
  function order(installs: Install[], p?: EnginePlan): InstalledBuild[] {
    const backend = engineConfig().backend;
    const fits = (i: Install) => backend === "auto" || i.backend === backend;
    // Builds made on this machine (source "build") count as the user's own, like imports.
    const allImported = installs.filter((i) => i.record.source === "import" || i.record.source === "build");
    // Imported builds are the user's own choice: first, unless engine.backend names another backend.
    const imported = allImported.filter(fits);
    const otherImported = allImported.filter((i) => !fits(i));
    if (!p || p.release.offline) return [...imported, ...installs.filter((i) => i.record.source === "release"), ...otherImported];
    const ranked: Install[] = [];
    for (const c of p.choice.candidates) {
      const same = installs.filter((i) => i.record.source === "release" && i.variant === c.variant);
      // The configured tag first, then older good installs of the variant kept as a fallback.
      ranked.push(...same.filter((i) => i.tag === p.release.tag), ...same.filter((i) => i.tag !== p.release.tag && i.record.good));
    }
    return [...imported, ...ranked, ...otherImported];
  }

  return {
    plan,
    installed: () => listInstalls(o.paths.engines),

    async builds(signal) {
      const installs = listInstalls(o.paths.engines);
      let p: EnginePlan;
      try {
        p = await plan(signal);
      } catch (err) {
        // Offline without a cached release: whatever is installed still runs.
        if (installs.length && !signal?.aborted) {
          o.log?.warn("engine: release unavailable, using installed builds", { error: (err as Error).message });
          return order(installs).map(strip);
        }
        throw err;
      }
      const ordered = order(installs, p);
      const best = p.choice.candidates[0];
      const hasImported = ordered.some((b) => b.tag.startsWith("imported-"));
      if (!best) {
        if (ordered.length || hasImported) return ordered.map(strip);
        throw new EngineError(p.choice.error!);
      }
      const bestInstalled = ordered.some((b) => b.tag === p.release.tag && b.variant === best.variant);
      if (bestInstalled || hasImported) return ordered.map(strip);
      try {
        const build = await installCandidate(p.release.tag, best, signal);
        return [build, ...ordered.map(strip).filter((b) => b.dir !== build.dir)];
      } catch (err) {
        if (ordered.length && !signal?.aborted) {
          o.log?.warn("engine: could not install the best build; using installed ones", { error: (err as Error).message });
          return ordered.map(strip);
        }
        throw err;
      }
    },

    markGood(build) {
      markInstallGood(o.paths.engines, build);
    },

    async install(opts = {}) {
      const p = await plan(opts.signal);
      if (p.release.offline) throw offline?.error ?? new EngineError({ code: "download_failed", message: p.release.offline });
      const c = opts.variant ? p.choice.candidates.find((x) => x.variant === opts.variant) : p.choice.candidates[0];
      if (!c) {
        const rejected = p.choice.rejected.find((r) => r.variant === opts.variant);
        throw new EngineError(
          rejected
            ? { code: rejected.code, message: `the ${rejected.variant} build cannot run here: ${rejected.reason}`, hint: rejected.hint }
            : (p.choice.error ?? { code: "no_candidate", message: `release ${p.release.tag} has no ${opts.variant} build for this machine` }),
        );
      }
      if (!opts.force) {
        const there = listInstalls(o.paths.engines).find((i) => i.tag === p.release.tag && i.variant === c.variant);
        if (there) return strip(there);
      }
      return installCandidate(p.release.tag, c, opts.signal, opts.force);
    },

    async next(failed, signal) {
      const p = await plan(signal);
      const installs = listInstalls(o.paths.engines);
      const from = p.choice.candidates.findIndex((c) => c.variant === failed.variant);
      for (const c of p.choice.candidates.slice(from + 1)) {
        if (installs.some((i) => i.tag === p.release.tag && i.variant === c.variant)) continue;
        return installCandidate(p.release.tag, c, signal);
      }
      return undefined;
    },
  };
}
