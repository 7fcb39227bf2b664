/**
 * Starting the first build that runs here. The supervisor already falls back
 * through the installed builds; when none of them can run (a backend this
 * machine lacks), the provider is asked for its next candidate, which it
 * installs, and that one is tried.
 */
import type { InstalledBuild } from "../types";
import { FALLBACK_CODES } from "./errors";
import { EngineStartError, type RunningEngine, type Supervisor } from "./supervisor";

export async function startFirstThatRuns(
  supervisor: Supervisor,
  builds: InstalledBuild[],
  argsFor: (port: number) => string[],
  nextCandidate: (after: InstalledBuild) => Promise<InstalledBuild | undefined>,
): Promise<RunningEngine> {
  for (;;) {
    try {
      return await supervisor.start(builds, argsFor);
    } catch (err) {
      const cannotRunHere = err instanceof EngineStartError && FALLBACK_CODES.has(err.info.code);
      const next = cannotRunHere ? await nextCandidate(builds.at(-1)!) : undefined;
      if (!next) throw err;
      builds = [next];
    }
  }
}
