/**
 * The machine as the probes see it: file reads, directory listings and
 * command runs, injected so tests replay recorded outputs instead.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { release } from "node:os";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ProbeIO {
  platform: string;
  arch: string;
  /** os.release(): kernel or Windows build. */
  osRelease: string;
  readFile(path: string): Promise<string | undefined>;
  listDir(path: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  /** undefined when the program is missing or did not finish in time. */
  run(argv: string[]): Promise<CommandResult | undefined>;
  /** glibc version of the running process, when the runtime reports it. */
  glibcRuntime(): string | undefined;
}

const COMMAND_TIMEOUT_MS = 5000;

export function systemProbeIO(): ProbeIO {
  return {
    platform: process.platform,
    arch: process.arch,
    osRelease: release(),
    async readFile(path) {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
    async listDir(path) {
      try {
        return readdirSync(path);
      } catch {
        return [];
      }
    },
    async exists(path) {
      return existsSync(path);
    },
    async run(argv) {
      try {
        const proc = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe", stdin: "ignore", windowsHide: true });
        const timer = setTimeout(() => proc.kill("SIGKILL"), COMMAND_TIMEOUT_MS);
        const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
        clearTimeout(timer);
        if (proc.signalCode) return undefined;
        return { code, stdout, stderr };
      } catch {
        return undefined; // not installed
      }
    },
    glibcRuntime() {
      const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
      return header?.glibcVersionRuntime;
    },
  };
}

/** A ProbeIO that replays a recorded machine (tests/fixtures/probes/*.json). */
export interface ProbeRecording {
  platform: string;
  arch: string;
  osRelease?: string;
  files?: Record<string, string>;
  /** Directory listings; paths named in `files` are listed automatically. */
  dirs?: Record<string, string[]>;
  /** Keyed by the argv joined with spaces. */
  commands?: Record<string, Partial<CommandResult>>;
  glibcRuntime?: string;
}

export function recordedProbeIO(rec: ProbeRecording): ProbeIO {
  const files = rec.files ?? {};
  const listing = (dir: string) => {
    const names = new Set(rec.dirs?.[dir] ?? []);
    const prefix = dir.endsWith("/") ? dir : dir + "/";
    for (const path of Object.keys(files)) if (path.startsWith(prefix)) names.add(path.slice(prefix.length).split("/")[0]!);
    return [...names];
  };
  return {
    platform: rec.platform,
    arch: rec.arch,
    osRelease: rec.osRelease ?? "",
    async readFile(path) {
      return files[path];
    },
    async listDir(path) {
      return listing(path);
    },
    async exists(path) {
      return path in files || listing(path).length > 0;
    },
    async run(argv) {
      const r = rec.commands?.[argv.join(" ")];
      return r ? { code: r.code ?? 0, stdout: r.stdout ?? "", stderr: r.stderr ?? "" } : undefined;
    },
    glibcRuntime() {
      return rec.glibcRuntime;
    },
  };
}
