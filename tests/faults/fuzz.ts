/**
 * R5: random and malformed requests across every route, and a path-traversal
 * corpus at every route that reads files. 0 answers of 5xx, the app alive,
 * its memory back near where it was after a warm-up, nothing outside the
 * allowed folders served. Runs in a network namespace of its own (see
 * fuzz-runner.ts); null where one cannot be made (not Linux, not root).
 */
import { join } from "node:path";
import { result, type SuiteResult } from "./suite";

export function canIsolate(): boolean {
  return process.platform === "linux" && !!Bun.which("unshare") && !!Bun.which("ip") && Bun.spawnSync(["unshare", "-n", "true"]).exitCode === 0;
}

const MB = 1024 * 1024;

export async function fuzzRoutes(count: number, seed = 42): Promise<SuiteResult> {
  const proc = Bun.spawn(["unshare", "-n", "bun", join(import.meta.dir, "fuzz-runner.ts"), String(count), String(seed)], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  const line = out.trim().split("\n").at(-1) ?? "";
  if (code !== 0 || !line.startsWith("{")) return result("R5", "did not run", [`runner exit ${code}: ${err.slice(-800)}`]);
  const r = JSON.parse(line) as { sent: number; routes: number; statuses: Record<string, number>; fiveXX: string[]; unreachable: number; connectionErrors: number; warmRss: number; endRss: number; alive: boolean; traversals: number; leaks: string[] };
  const problems = [...r.fiveXX.slice(0, 10), ...r.leaks.map((l) => `served outside its folder: ${l}`)];
  if (!r.alive) problems.push("the app died");
  // Memory "back to its start": within 64 MB or 50% of what it used after the first tenth of the requests.
  const grown = r.endRss - r.warmRss;
  if (grown > Math.max(64 * MB, r.warmRss * 0.5)) problems.push(`memory grew from ${(r.warmRss / MB).toFixed(0)} to ${(r.endRss / MB).toFixed(0)} MB`);
  const codes = Object.entries(r.statuses).sort().map(([s, n]) => `${s}:${n}`).join(" ");
  return result(
    "R5",
    `${r.sent} random/malformed requests over ${r.routes} routes: ${r.fiveXX.length} 5xx (besides ${r.unreachable} × 503 "release server unreachable": the sandbox has no network), alive ${r.alive}, RSS ${(r.warmRss / MB).toFixed(0)} → ${(r.endRss / MB).toFixed(0)} MB, ${r.connectionErrors} dropped; ${r.traversals} traversal attempts, ${r.leaks.length} served outside (${codes})`,
    problems,
  );
}
