/**
 * Keeps the engine from outliving the launcher, even a SIGKILLed one. The
 * real sd-server cannot be changed, so the guard goes around it:
 * - Linux: `setpriv --pdeathsig KILL -- sd-server …` (util-linux, present on
 *   every Debian/Ubuntu/Fedora). setpriv sets PR_SET_PDEATHSIG and then execs
 *   sd-server, so the engine is the launcher's direct child and the kernel
 *   kills it the moment the launcher dies.
 * - Elsewhere (macOS, or Linux without setpriv): a tiny `sh` watchdog that
 *   polls the launcher's pid and kills the engine once it is gone.
 * Windows needs a job object; not handled here (see the report).
 */
import { existsSync } from "node:fs";

const SETPRIV_PATHS = ["/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv"];

export interface GuardPlan {
  /** The argv to spawn. */
  argv: string[];
  /** True when a watchdog must be started once the pid is known. */
  watchdog: boolean;
}

/** How to spawn `argv` so it dies with us. Pure apart from the `setpriv` lookup, which can be injected. */
export function guardCommand(argv: string[], platform: NodeJS.Platform = process.platform, setpriv = findSetpriv()): GuardPlan {
  if (platform === "linux" && setpriv) return { argv: [setpriv, "--pdeathsig", "KILL", "--", ...argv], watchdog: false };
  return { argv, watchdog: platform !== "win32" };
}

export function findSetpriv(): string | undefined {
  return SETPRIV_PATHS.find((p) => existsSync(p));
}

/** Polls our pid from a shell and SIGKILLs `childPid` when we are gone. Returns a stopper. */
export function startWatchdog(childPid: number, parentPid = process.pid): () => void {
  const script = `while kill -0 ${parentPid} 2>/dev/null && kill -0 ${childPid} 2>/dev/null; do sleep 1; done; kill -9 ${childPid} 2>/dev/null`;
  const proc = Bun.spawn(["sh", "-c", script], { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
  proc.unref();
  return () => proc.kill("SIGKILL");
}
