/**
 * The Windows build under Wine, for tests (issue 21). Once per test run:
 * - the Windows executable (scripts/build.ts, target windows-x64) and the
 *   stand-in engine compiled for Windows (sd-server.exe, sd-cli.exe), cached
 *   by the hash of their sources in the temp folder, so a second run with
 *   nothing changed builds nothing;
 * - bcryptprimitives.dll from bcryptprimitives.c (mingw-w64): Wine 8 lacks
 *   ProcessPrng, which Bun's Windows runtime imports. It goes beside each
 *   exe under test; the product ships nothing of it;
 * - a fresh WINEPREFIX in a temp folder (wineboot once; no Mono/Gecko
 *   prompts), removed with its wineserver by releaseWineKit() after the last test file using it
 *   (and, after a run that was killed, by the next run).
 * windowsInstaller() adds the NSIS installer made by the packaging code from that
 * exe (zlib instead of LZMA: ~10 s of CPU, not ~90), cached the same way.
 * needWine() says whether wine and mingw-w64 are here (tests/kit/needs.ts: skipped where they are
 * missing, a failure in CI); `scripts/setup.sh --dev` installs both.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { compileExe } from "../../scripts/build";
import { startExe, type Running } from "../exe/exe";
import type { StandinConfig } from "../standin/config";
import { need } from "../kit/needs";

const ROOT = join(import.meta.dir, "../..");
const CACHE = join(tmpdir(), "ed-wine-cache");

/** Call at the top of a test file (see tests/kit/needs.ts). */
export function needWine(): boolean {
  return need("Wine and mingw-w64", !!Bun.which("wine") && !!Bun.which("x86_64-w64-mingw32-gcc"), "sudo apt install wine64 gcc-mingw-w64-x86-64");
}

export interface WineKit {
  /** The Windows launcher (a Unix path; Wine maps it to Z:\…). */
  exe: string;
  /** A folder holding sd-server.exe, sd-cli.exe and the DLL (copy it before importing). */
  standin: string;
  /** hold-file.exe (hold-file.c): keeps a file open without FILE_SHARE_DELETE, as Windows programs do. */
  holdFile: string;
  prefix: string;
  /** The prefix's C: drive as a Unix path. */
  driveC: string;
  env: Record<string, string>;
  /** `C:\…` for a path under the prefix's C: drive, `Z:\…` for any other Unix path. */
  win(unixPath: string): string;
  start(args: string[], extraEnv?: Record<string, string>): Running;
  run(args: string[], extraEnv?: Record<string, string>): Promise<{ code: number; out: string }>;
  /** Windows processes of this prefix whose command line contains `needle` (case-insensitive). */
  processes(needle: string): { pid: number; cmd: string }[];
}

let kit: Promise<WineKit> | undefined;
let users = 0;

/** The shared kit; the first call builds (or finds cached) everything. Pair each call with releaseWineKit() in afterAll. */
export function wineKit(): Promise<WineKit> {
  users++;
  kit ??= makeKit();
  return kit;
}

/**
 * Ends the prefix's processes and removes it (over a gigabyte after a run) once no test file
 * holds the kit: `bun test` fires no process "exit" event, so this is the only clean-up.
 */
export async function releaseWineKit(): Promise<void> {
  if (--users > 0 || !kit) return;
  const done = await kit.catch(() => undefined);
  kit = undefined;
  if (!done) return;
  Bun.spawnSync(["wineserver", "-k"], { env: done.env });
  rmSync(done.prefix, { recursive: true, force: true });
}

function hashFiles(paths: string[]): string {
  const hasher = new Bun.CryptoHasher("sha1");
  for (const p of paths) {
    const full = join(ROOT, p);
    if (!existsSync(full)) continue;
    const files = statSync(full).isDirectory() ? (readdirSync(full, { recursive: true }) as string[]).map((f) => join(full, f)).sort() : [full];
    for (const f of files) {
      if (f.includes("node_modules") || !statSync(f).isFile()) continue;
      hasher.update(relative(ROOT, f)).update(readFileSync(f));
    }
  }
  return hasher.digest("hex").slice(0, 16);
}

/** Builds into a temp folder and renames it into the cache, so a half-built folder is never used. */
async function cached(name: string, fill: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(CACHE, name);
  const done = join(dir, ".done");
  if (existsSync(done)) {
    utimesSync(done, new Date(), new Date()); // in use: kept by other runs' clean-up below
    return dir;
  }
  mkdirSync(CACHE, { recursive: true });
  // Only the newest build of each kind is kept (each exe is over 100 MB); one another run (another
  // checkout on this machine) used within the hour is left alone, since its tests may be running it.
  const kind = name.replace(/-[0-9a-f]+$/, "");
  const idle = (old: string) => Date.now() - (statSync(join(CACHE, old, ".done"), { throwIfNoEntry: false })?.mtimeMs ?? 0) > 3_600_000;
  for (const old of readdirSync(CACHE)) if (old !== name && old.replace(/-[0-9a-f]+$/, "") === kind && idle(old)) rmSync(join(CACHE, old), { recursive: true, force: true });
  const tmp = mkdtempSync(join(CACHE, `.${name}-`));
  await fill(tmp);
  writeFileSync(join(tmp, ".done"), "");
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

function run(cmd: string[], env?: Record<string, string>): void {
  const r = Bun.spawnSync(cmd, { env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed (${r.exitCode}):\n${r.stderr.toString()}${r.stdout.toString()}`);
}

function buildDll(dir: string): void {
  run(["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-s", "-o", join(dir, "bcryptprimitives.dll"), join(import.meta.dir, "bcryptprimitives.c"), "-ladvapi32"]);
}

const PRODUCT = ["launcher", "engine", "queue", "gallery", "models", "downloads", "prompts", "plugins", "upscale", "compat", "ui/dist", "scripts/build.ts", "package.json", "bun.lock", "tests/wine/bcryptprimitives.c"];

async function makeKit(): Promise<WineKit> {
  const app = await cached(`app-${hashFiles(PRODUCT)}`, async (dir) => {
    await compileExe("windows-x64", join(dir, "easy-diffusion.exe"));
    buildDll(dir);
  });
  const standin = await cached(`standin-${hashFiles(["tests/standin", "tests/fixtures/sd-server", "tests/wine/bcryptprimitives.c"])}`, async (dir) => {
    for (const name of ["sd-server", "sd-cli"]) run(["bun", "build", "--compile", "--target=bun-windows-x64", join(ROOT, "tests/standin", `${name}.ts`), "--outfile", join(dir, `${name}.exe`)]);
    buildDll(dir);
  });
  const tools = await cached(`tools-${hashFiles(["tests/wine/hold-file.c"])}`, async (dir) => {
    run(["x86_64-w64-mingw32-gcc", "-municode", "-O2", "-s", "-o", join(dir, "hold-file.exe"), join(import.meta.dir, "hold-file.c")]);
  });
  // Named by pid: a run that was killed leaves its prefix, removed by the next run.
  for (const name of readdirSync(tmpdir())) {
    const pid = /^ed-wine-prefix-(\d+)$/.exec(name)?.[1];
    if (pid && !existsSync(`/proc/${pid}`)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
  const prefix = join(tmpdir(), `ed-wine-prefix-${process.pid}`);
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix);
  const env: Record<string, string> = { ...(process.env as Record<string, string>), WINEPREFIX: prefix, WINEDEBUG: "-all", WINEDLLOVERRIDES: "mscoree,mshtml=;winemenubuilder.exe=d", WINEARCH: "win64" };
  for (const k of ["ED_HOME", "ED_LOG_LEVEL", "DISPLAY", "WAYLAND_DISPLAY", "HF_ENDPOINT", "HF_TOKEN"]) delete env[k];
  run(["wineboot", "-i"], env);
  const driveC = join(prefix, "drive_c");
  const win = (p: string) => (p.startsWith(`${driveC}/`) ? `C:\\${relative(driveC, p).replaceAll("/", "\\")}` : `Z:${p.replaceAll("/", "\\")}`);
  const exe = join(app, "easy-diffusion.exe");
  const start = (args: string[], extraEnv: Record<string, string> = {}) => startExe("wine", [exe, ...args], { env: { ...env, ...extraEnv } });
  return {
    exe,
    standin,
    holdFile: join(tools, "hold-file.exe"),
    prefix,
    driveC,
    env,
    win,
    start,
    async run(args, extraEnv) {
      const r = start(args, extraEnv);
      const code = await r.exit(60_000);
      return { code, out: r.output() };
    },
    processes(needle) {
      const found: { pid: number; cmd: string }[] = [];
      for (const name of readdirSync("/proc")) {
        if (!/^\d+$/.test(name)) continue;
        try {
          if (!readFileSync(`/proc/${name}/environ`, "latin1").split("\0").includes(`WINEPREFIX=${prefix}`)) continue;
          const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ");
          if (cmd && cmd.toLowerCase().includes(needle.toLowerCase())) found.push({ pid: Number(name), cmd });
        } catch {}
      }
      return found;
    },
  };
}

/**
 * The NSIS installer for kit.exe, made by the packaging code (`bun run package`'s
 * packageTarget and packaging/windows/installer.nsi) with zlib. Needs makensis.
 */
export async function windowsInstaller(kit: WineKit): Promise<string> {
  const dir = await cached(`installer-${hashFiles(["packaging", "package.json"])}${kit.exe.split("/").at(-2)!.slice(-8)}`, async (tmp) => {
    const [{ appInfo }, { renderPngs }, { packageTarget }] = await Promise.all([
      import("../../packaging/app"),
      import("../../packaging/icons/render"),
      import("../../packaging/package-target"),
    ]);
    const [result] = await packageTarget({
      app: appInfo(),
      target: "windows-x64",
      exe: kit.exe,
      formats: ["nsis"],
      outDir: tmp,
      pngs: await renderPngs(),
      date: new Date().toISOString().slice(0, 10),
      nsisCompressor: "zlib",
      log: () => {},
    });
    if (result?.status !== "built" || !result.file) throw new Error(`the installer was not built: ${result?.reason}`);
    renameSync(result.file, join(tmp, "setup.exe"));
    rmSync(join(tmp, "windows-x64"), { recursive: true, force: true });
  });
  return join(dir, "setup.exe");
}

/** A copy of the Windows stand-in engine in `dir`, with its delays and faults (standin.json). */
export function standinCopy(kit: WineKit, dir: string, config: Partial<StandinConfig> = {}): string {
  cpSync(kit.standin, dir, { recursive: true, filter: (src) => !src.endsWith(".done") });
  writeFileSync(join(dir, "standin.json"), JSON.stringify(config, null, 2));
  return dir;
}
