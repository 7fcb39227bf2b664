/**
 * Runs upstream's `sd-cli -M upscale` once and reports what it said.
 * Facts from the real binary (tests/fixtures/sd-server/sd-cli-upscale.json):
 * - each pass logs `upscaling from (W x H) to (W2 x H2)`; a picture bigger
 *   than the tile size draws a tile bar `|===>  | k/N - x it/s`; weights load
 *   with a `|###| n/N - MB/s` bar;
 * - a missing or non-ESRGAN model is NOT an exit code: it logs
 *   `[ERROR] … new_upscaler_ctx failed` and saves the input unchanged, exit 0.
 *   So success is judged by the output's size, and the `[ERROR]` lines
 *   explain a failure;
 * - a bad input or argument exits 1 with `[ERROR]` lines on stderr.
 * Cancel: the signal kills the process.
 */
import { StreamSplitter, parseProgress } from "../engine/process/progress";

export interface SdCliRun {
  cli: string;
  model: string;
  input: string;
  output: string;
  repeats: number;
  tileSize?: number;
  signal?: AbortSignal;
  /** pass: 1-based; tile progress when the picture is tiled. */
  onProgress?(p: { pass: number; from?: [number, number]; to?: [number, number]; tile?: number; tiles?: number; rate?: number | null }): void;
}

export interface SdCliResult {
  exitCode: number | null;
  cancelled: boolean;
  /** `[ERROR]` lines, prefixes removed (`upscaler.cpp:84   - init model …` → `init model …`). */
  errors: string[];
  /** Every `upscaling from … to …` seen: [from, to] sizes. */
  passes: { from: [number, number]; to: [number, number] }[];
  lines: string[];
}

/** The argv for one upscale run (checked against `sd-cli --help` in the tests). */
export function sdCliArgs(run: Pick<SdCliRun, "model" | "input" | "output" | "repeats" | "tileSize">): string[] {
  const args = ["-M", "upscale", "--upscale-model", run.model, "-i", run.input, "-o", run.output];
  if (run.repeats !== 1) args.push("--upscale-repeats", String(run.repeats));
  if (run.tileSize) args.push("--upscale-tile-size", String(run.tileSize));
  return args;
}

const UPSCALING = /upscaling from \((\d+) x (\d+)\) to \((\d+) x (\d+)\)/;
const ERROR = /^\[ERROR\]\s*[^-]*-\s*(.*)$/;

export async function runSdCli(run: SdCliRun): Promise<SdCliResult> {
  const proc = Bun.spawn([run.cli, ...sdCliArgs(run)], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  let cancelled = false;
  const kill = () => {
    cancelled = true;
    proc.kill("SIGKILL");
  };
  if (run.signal?.aborted) kill();
  run.signal?.addEventListener("abort", kill, { once: true });
  const result: SdCliResult = { exitCode: null, cancelled: false, errors: [], passes: [], lines: [] };
  const onSegment = (text: string, final: boolean) => {
    if (final) result.lines.push(text);
    const err = ERROR.exec(text);
    if (err) result.errors.push(err[1]!.trim());
    const up = UPSCALING.exec(text);
    if (up) {
      const n = up.slice(1).map(Number) as [number, number, number, number];
      result.passes.push({ from: [n[0], n[1]], to: [n[2], n[3]] });
      run.onProgress?.({ pass: result.passes.length, from: [n[0], n[1]], to: [n[2], n[3]] });
      return;
    }
    const p = parseProgress(text);
    if (p?.kind === "sampling")
      run.onProgress?.({ pass: Math.max(1, result.passes.length), tile: p.step, tiles: p.steps, rate: p.itPerSec ?? (p.secPerIt ? 1 / p.secPerIt : null) });
  };
  const read = async (stream: ReadableStream<Uint8Array>) => {
    const splitter = new StreamSplitter();
    for await (const chunk of stream) for (const s of splitter.push(chunk)) onSegment(s.text, s.final);
    for (const s of splitter.flush()) onSegment(s.text, s.final);
  };
  await Promise.all([read(proc.stdout), read(proc.stderr)]);
  result.exitCode = await proc.exited;
  run.signal?.removeEventListener("abort", kill);
  result.cancelled = cancelled;
  return result;
}
