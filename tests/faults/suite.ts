/**
 * What a fault suite reports: whether every promise held, one line of figures
 * (printed by `bun run bench:faults`), and what went wrong when it did not.
 * Each suite is a function of its size, run small in `bun run test` and full
 * size in the benchmark.
 */
export interface SuiteResult {
  suite: string;
  ok: boolean;
  line: string;
  problems: string[];
}

export function result(suite: string, line: string, problems: string[]): SuiteResult {
  return { suite, ok: problems.length === 0, line: `${suite} ${line}`, problems };
}

/** p-quantile of a list of numbers (nearest rank). */
export function quantile(values: number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const ms = (n: number) => `${Math.round(n)} ms`;
