/**
 * Keeps the engine from outliving the launcher, even a SIGKILLed one. The
 * real sd-server cannot be changed, so the guard goes around it:
 * - Linux: `setpriv --pdeathsig KILL -- sd-server …` (util-linux, present on
 *   every Debian/Ubuntu/Fedora). setpriv sets PR_SET_PDEATHSIG and then execs
 *   sd-server, so the engine is the launcher's direct child and the kernel
 *   kills it the moment the launcher dies.
 * - Elsewhere (macOS, or Linux without setpriv): a tiny `sh` watchdog that
 *   polls the launcher's pid and kills the engine once it is gone.
 * - Windows: the same watchdog in PowerShell (Wait-Process, then Stop-Process).
 *   Bun spawns through libuv, whose uv_spawn already puts each child in a
 *   kill-on-close job object (libuv src/win/process.c, uv__init_global_job_handle);
 *   tests/wine sees the engine end when the launcher is killed.
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
export function guardCommand(argv: string[], platform: NodeJS.Platform = process.platform, setpriv: string | null = findSetpriv() ?? null): GuardPlan {
  if (platform === "linux" && setpriv) return { argv: [setpriv, "--pdeathsig", "KILL", "--", ...argv], watchdog: false };
  return { argv, watchdog: true };
}

export function findSetpriv(): string | undefined {
  return SETPRIV_PATHS.find((p) => existsSync(p));
}

/** The watchdog's command: waits for `parentPid` to end, then kills `childPid`. */
export function watchdogCommand(parentPid: number, childPid: number, platform: NodeJS.Platform = process.platform): string[] {
  if (platform === "win32") {
    const script = `try { Wait-Process -Id ${parentPid} -ErrorAction Stop } catch {}; Stop-Process -Id ${childPid} -Force -ErrorAction SilentlyContinue`;
    return ["powershell.exe", "-NoProfile", "-NonInteractive", "-WindowStyle", "Hidden", "-Command", script];
  }
  return ["sh", "-c", `while kill -0 ${parentPid} 2>/dev/null && kill -0 ${childPid} 2>/dev/null; do sleep 1; done; kill -9 ${childPid} 2>/dev/null`];
}

/** Starts the watchdog for `childPid`. Returns a stopper (for when the engine ended normally). */
export function startWatchdog(childPid: number, parentPid = process.pid, platform: NodeJS.Platform = process.platform): () => void {
  const proc = Bun.spawn(watchdogCommand(parentPid, childPid, platform), { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
  proc.unref();
  return () => proc.kill();
}
