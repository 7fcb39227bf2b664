/**
 * Where the manager gets engine builds: the BuildProvider (installed builds,
 * best first, downloading the best on first run), with an imported build
 * put first, the list cached until something changes it, the provider's
 * extras for the Engine tab (plan, installed, install a variant, next
 * fallback), and a way to cancel the download in progress.
 */
import type { EventBus } from "../../core/events/bus";
import type { EngineBuildProvider, EnginePlan } from "../install/provider";
import { EngineInfoError } from "../info-error";
import type { BuildProvider, InstalledBuild } from "../types";

/** A BuildProvider, plus what the real one offers the Engine tab: plan, installed list, install of a variant, next fallback. */
export type EngineProvider = BuildProvider & Partial<Pick<EngineBuildProvider, "plan" | "installed" | "install" | "next">>;

/** No build could be chosen or fetched (not the source build's BuildError, engine/build/runner.ts). */
export class BuildSourceError extends EngineInfoError {
  override name = "BuildSourceError";
}

export class BuildSource {
  /** An imported build, run before anything else. */
  preferred?: InstalledBuild;
  #cached?: InstalledBuild[];
  /** Aborts the download in progress (cancelDownload); a new one after each use. */
  #cancel = new AbortController();
  #downloading = false;

  constructor(
    readonly provider: EngineProvider,
    bus?: EventBus,
  ) {
    bus?.on("download", (p) => {
      if (p.kind === "engine") this.#downloading = p.phase === "downloading" || p.phase === "starting" || p.phase === "retrying";
    });
  }

  /** Builds to try, best first (downloading the best one when none is installed). */
  async list(signal?: AbortSignal): Promise<InstalledBuild[]> {
    this.#cached ??= await this.provider.builds(this.#signal(signal));
    const p = this.preferred;
    return p ? [p, ...this.#cached.filter((b) => b.dir !== p.dir)] : [...this.#cached];
  }

  /** Installs a variant (or reinstalls with `force`) when the provider can. */
  async install(opts: { variant?: string; force?: boolean; signal?: AbortSignal }): Promise<boolean> {
    if (!this.provider.install) return false;
    await this.provider.install({ variant: opts.variant, force: opts.force, signal: this.#signal(opts.signal) });
    this.forget();
    return true;
  }

  /** After every installed build failed to run: the next candidate, installed now, if any. */
  async next(failed: InstalledBuild): Promise<InstalledBuild | undefined> {
    try {
      return await this.provider.next?.(failed, this.#cancel.signal);
    } catch {
      return undefined;
    } finally {
      this.forget();
    }
  }

  prefer(build: InstalledBuild) {
    this.preferred = build;
    this.forget();
  }

  forget() {
    this.#cached = undefined;
  }

  installed(): InstalledBuild[] {
    return this.provider.installed?.() ?? this.#cached ?? [];
  }

  plan(signal?: AbortSignal): Promise<EnginePlan> {
    if (!this.provider.plan) throw new BuildSourceError({ code: "no_candidate", message: "This engine provider cannot describe its choice." });
    return this.provider.plan(signal);
  }

  /** Stops the download in progress; its partial file stays, so installing again resumes it. */
  cancelDownload(): boolean {
    if (!this.#downloading) return false;
    this.#cancel.abort(
      new BuildSourceError({
        code: "download_failed",
        message: "The engine download was cancelled.",
        hint: "Install it from the Engine tab when you want it; the download goes on where it stopped.",
      }),
    );
    this.#cancel = new AbortController();
    return true;
  }

  #signal(signal?: AbortSignal): AbortSignal {
    return signal ? AbortSignal.any([signal, this.#cancel.signal]) : this.#cancel.signal;
  }
}
