/**
 * Reads a build's progress from its own output: CMake's Makefile generator
 * prints `[ 42%] Building CXX object …` and Ninja prints `[12/340] …`.
 * Pure: one line in, a percentage (0–100) or undefined out.
 */
const MAKE_PERCENT = /^\s*\[\s*(\d{1,3})%\]/;
const NINJA_STEPS = /^\s*\[(\d+)\/(\d+)\]/;

export function buildPercent(line: string): number | undefined {
  const m = MAKE_PERCENT.exec(line);
  if (m) return Math.min(100, Number(m[1]));
  const n = NINJA_STEPS.exec(line);
  if (n && Number(n[2]) > 0) return Math.min(100, Math.floor((Number(n[1]) * 100) / Number(n[2])));
  return undefined;
}

/** The last `n` non-empty lines of a log, for the failure message. */
export function tailLines(text: string, n = 20): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== "").slice(-n);
}
