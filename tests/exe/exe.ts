/**
 * Test helpers for the built executable: compile it once per test file into
 * a temp folder (outside the repo, so it finds no node_modules or ui/dist),
 * start it, read its output, find free ports.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileExe } from "../../scripts/build";

export interface TestExe {
  file: string;
  dir: string;
  cleanup(): void;
}

/** The UI is already in ui/dist (tests/preload.ts builds it). */
export async function buildTestExe(): Promise<TestExe> {
  const dir = mkdtempSync(join(tmpdir(), "ed-exe-"));
  const file = join(dir, "easy-diffusion");
  await compileExe(undefined, file);
  return { file, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A data dir whose config points the engine at a dead local address: tests never reach the internet. */
export function testDataDir(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.yaml"), "# test data dir\nengine:\n  api_base: http://127.0.0.1:9/\n");
  return dir;
}

export async function freePort(): Promise<number> {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
  const port = s.port!;
  s.stop(true);
  return port;
}

export interface Running {
  proc: ReturnType<typeof Bun.spawn>;
  /** stdout and stderr so far. */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Exit code, or throws after the timeout. */
  exit(timeoutMs?: number): Promise<number>;
  kill(signal?: NodeJS.Signals): void;
}

export function startExe(file: string, args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Running {
  const proc = Bun.spawn([file, ...args], {
    cwd: options.cwd,
    env: (options.env ?? process.env) as Record<string, string>,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let text = "";
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  void pump(proc.stdout as ReadableStream<Uint8Array>);
  void pump(proc.stderr as ReadableStream<Uint8Array>);
  return {
    proc,
    output: () => text,
    async waitForOutput(pattern, timeoutMs = 20000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = text.match(pattern);
        if (m) return m;
        if (proc.exitCode !== null) {
          await Bun.sleep(50);
          const late = text.match(pattern);
          if (late) return late;
          throw new Error(`exited (${proc.exitCode}) before printing ${pattern}:\n${text}`);
        }
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${text}`);
        await Bun.sleep(25);
      }
    },
    async exit(timeoutMs = 10000) {
      const code = await Promise.race([proc.exited, Bun.sleep(timeoutMs).then(() => "timeout" as const)]);
      if (code === "timeout") {
        proc.kill("SIGKILL");
        throw new Error(`still running after ${timeoutMs} ms:\n${text}`);
      }
      await Bun.sleep(20); // the last output lines
      return code;
    },
    kill: (signal = "SIGTERM") => proc.kill(signal),
  };
}

/** SIGTERM, then the exit code (0 for a clean stop). */
export async function stopExe(app: Running, signal: NodeJS.Signals = "SIGTERM"): Promise<number> {
  app.kill(signal);
  return app.exit();
}

/** Runs the exe to completion. */
export async function runExe(file: string, args: string[], cwd?: string): Promise<{ code: number; out: string }> {
  const r = startExe(file, args, { cwd });
  const code = await r.exit(15000);
  return { code, out: r.output() };
}

/** Child pids of a process (from /proc), to check nothing is left behind. */
export function childPids(pid: number): number[] {
  const r = Bun.spawnSync(["pgrep", "-P", String(pid)], { stdout: "pipe" });
  return r.stdout
    .toString()
    .split("\n")
    .filter(Boolean)
    .map(Number);
}

const REPO = join(import.meta.dir, "../..");
/** Root can hide the repository (an empty tmpfs over it in a private mount namespace); elsewhere the exe runs with it visible and proves less. */
export const canHideRepo = Bun.spawnSync(["unshare", "-m", "sh", "-c", `mount -t tmpfs none "$0"`, REPO], { stderr: "ignore" }).exitCode === 0;

/** Starts the exe with the repository hidden when possible: whatever it needs must be inside it. */
export function startExeWithoutRepo(file: string, args: string[], options: { cwd?: string } = {}): Running {
  if (!canHideRepo) return startExe(file, args, options);
  return startExe("unshare", ["-m", "sh", "-c", `mount -t tmpfs none "$0" && exec "$@"`, REPO, file, ...args], options);
}
