/**
 * Health checks of a ready engine: `GET /` every interval; after enough
 * failures in a row the engine counts as hung and is killed (its exit then
 * takes the crash path, restart with backoff).
 */
import type { EngineChild } from "./child";

export interface HealthTimings {
  healthIntervalMs: number;
  healthTimeoutMs: number;
  /** Consecutive failed checks that count as a hang. */
  healthFailures: number;
}

/** Starts the checks; returns the interval to clear when the child goes. */
export function watchHealth(child: EngineChild, o: HealthTimings, note: (line: string) => void): ReturnType<typeof setInterval> {
  let failures = 0;
  let checking = false;
  return setInterval(async () => {
    if (checking || child.exit || child.expected) return;
    checking = true;
    const ok = await child.answers(o.healthTimeoutMs);
    checking = false;
    failures = ok ? 0 : failures + 1;
    if (failures >= o.healthFailures && !child.exit && !child.expected) {
      note(`engine stopped answering (${failures} health checks failed); killing pid ${child.pid}`);
      child.hung = true;
      child.proc.kill("SIGKILL");
    }
  }, o.healthIntervalMs);
}
