/**
 * What a test needs from this machine (build tools, Wine, packaging tools,
 * Chromium) and one policy when it is missing. In CI (`CI` set, as CI
 * services set it) a missing tool fails loudly, as a test of its own that
 * names it and how to install it: a test that skips silently in CI proves
 * nothing. Elsewhere the tests that need it are skipped and the reason is
 * printed. Call need() at the top of a test file (a failing test can only be
 * registered there) and skip with its answer: `describe.skipIf(!haveTools)`.
 * Chromium is the one tool no test skips for (assertChromium, below).
 */
import { test } from "bun:test";
import { existsSync } from "node:fs";

/** CI services set CI=true; "0" and "false" say it is not one. */
export const inCi = !!process.env.CI && !["0", "false"].includes(process.env.CI.toLowerCase());

/** What to say about a missing tool: what, and how to install it. */
export function missingTool(what: string, install: string): string {
  return `not on this machine: ${what} (install: ${install}, or run scripts/setup.sh --dev)`;
}

/** Whether `what` is here; if not, fails in CI or prints why the tests that need it are skipped. */
export function need(what: string, present: boolean, install: string): boolean {
  if (present) return true;
  const missing = missingTool(what, install);
  if (inCi) {
    test(`this machine has ${what}`, () => {
      throw new Error(`${missing}; in CI the tests that need it must run, not skip`);
    });
  } else {
    console.warn(`${missing}, so the tests in this file that need it are skipped`);
  }
  return false;
}

/** cmake and a C++ compiler: what a source build of the engine needs. */
export function needBuildTools(): boolean {
  return need("cmake and a C++ compiler", !!Bun.which("cmake") && !!(Bun.which("c++") || Bun.which("g++")), "sudo apt install cmake g++ make");
}

/**
 * Debian's Chromium, which the browser tests drive with playwright-core. Not
 * optional: every test of the UI needs it, so launchBrowser() fails wherever
 * it is missing (CI included), saying so, rather than skipping the UI's tests.
 */
export const CHROMIUM = "/usr/bin/chromium";

export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(missingTool(`Chromium at ${CHROMIUM}`, "sudo apt install chromium"));
}
