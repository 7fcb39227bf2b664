/**
 * What a test needs from this machine (build tools, Chromium) and one policy
 * when it is missing. In CI (`CI` set, as CI services set it) a missing tool
 * fails loudly, as a test of its own that names it and how to install it: a
 * test that skips silently in CI proves nothing. Elsewhere the tests that need
 * it are skipped and the reason is printed. Call it at the top of a test file
 * (a failing test can only be registered there) and skip with its answer:
 * `describe.skipIf(!buildTools)(...)`.
 */
import { test } from "bun:test";
import { existsSync } from "node:fs";

/** CI services set CI=true; "0" and "false" say it is not one. */
export const inCi = !!process.env.CI && !["0", "false"].includes(process.env.CI.toLowerCase());

/** Whether `what` is here; if not, fails in CI or prints why the tests that need it are skipped. */
export function need(what: string, present: boolean, install: string): boolean {
  if (present) return true;
  const reason = `${what} is not on this machine (install: ${install}; scripts/setup.sh --dev installs it)`;
  if (inCi) {
    test(`this machine has ${what}`, () => {
      throw new Error(`${reason}: in CI the tests that need it must run, not skip`);
    });
  } else {
    console.warn(`skipped: the tests in this file that need ${reason}`);
  }
  return false;
}

/** cmake and a C++ compiler: what a source build of the engine needs. */
export function needBuildTools(): boolean {
  return need("cmake and a C++ compiler", !!Bun.which("cmake") && !!(Bun.which("c++") || Bun.which("g++")), "sudo apt install cmake g++ make");
}

/** Debian's Chromium, which the browser tests drive with playwright-core. */
export const CHROMIUM = "/usr/bin/chromium";

export function needChromium(): boolean {
  return need(`Chromium at ${CHROMIUM}`, existsSync(CHROMIUM), "sudo apt install chromium");
}
