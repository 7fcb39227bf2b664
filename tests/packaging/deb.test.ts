/**
 * The .deb end to end, as a user gets it: build it from the repo with
 * dpkg-deb, install it with apt (Depends resolved), run the installed
 * command, check the installed desktop file, purge it, and check that the
 * program is gone while the user's data dir is untouched. Needs root and
 * dpkg (CI runs as root on Debian).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appInfo } from "../../packaging/app";
import { buildDeb } from "../../packaging/deb/build-deb";
import { ensureExecutable } from "../../packaging/executable";
import { linuxPaths } from "../../packaging/linux/tree";
import { PNG_SIZES } from "../../packaging/icons/render";
import { hostTarget } from "../../packaging/targets";
import { freePort, startExe, testDataDir } from "../exe/exe";

const isRoot = process.getuid?.() === 0;
const hasDpkg = !!Bun.which("dpkg") && !!Bun.which("dpkg-deb") && !!Bun.which("apt-get");
const host = hostTarget();
const canRun = isRoot && hasDpkg && !!host?.startsWith("linux");
if (!canRun) {
  console.warn(`skipping the .deb install test: needs root, dpkg-deb/dpkg/apt-get and Linux (root=${isRoot}, dpkg=${hasDpkg}, target=${host})`);
}

const app = appInfo();
const installed = linuxPaths(app, [...PNG_SIZES]);
const files = [installed.bin, installed.desktop, installed.metainfo, installed.svg, ...installed.pngs, installed.copyright].map((f) => `/${f}`);

function sh(argv: string[], timeoutMs = 120_000): { code: number; out: string } {
  const p = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe", timeout: timeoutMs, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  return { code: p.exitCode ?? -1, out: p.stdout.toString() + p.stderr.toString() };
}

describe.skipIf(!canRun)("the .deb on this machine", () => {
  let tmp: string;
  let deb: string;
  let dataDir: string;
  const userFiles: Record<string, string> = {};

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "ed-deb-"));
    const exe = await ensureExecutable();
    // gzip -1: this test is about what the package installs, not its size (bench/size.ts measures xz).
    deb = await buildDeb({ target: host!, exe: exe.file, outDir: tmp, compression: "gzip", level: 1 });
    // The user's data, as a previous run would leave it.
    dataDir = testDataDir(tmp, "data");
    const seed: Record<string, string> = {
      "models/stable-diffusion/my-model.safetensors": "weights",
      "outputs/2026-01-01/image.png": "pixels",
    };
    for (const [rel, body] of Object.entries(seed)) {
      mkdirSync(join(dataDir, rel, ".."), { recursive: true });
      writeFileSync(join(dataDir, rel), body);
    }
  }, 300_000);

  afterAll(() => {
    // Never leave the test package installed, whatever failed.
    if (sh(["dpkg-query", "-W", app.command]).code === 0) sh(["dpkg", "--purge", app.command]);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test("control data: name, version from package.json, Depends", () => {
    const info = sh(["dpkg-deb", "--field", deb, "Package", "Version", "Depends", "Architecture"]);
    expect(info.code).toBe(0);
    expect(info.out).toContain(`Package: ${app.command}`);
    expect(info.out).toContain(`Version: ${app.version.replace(/-/g, "~")}-1`);
    expect(info.out).toContain("Depends: libwebkit2gtk-4.1-0, libgtk-3-0");
    // No maintainer scripts: nothing runs as root besides dpkg's own file handling.
    const control = sh(["dpkg-deb", "--ctrl-tarfile", deb]);
    expect(control.code).toBe(0);
    for (const script of ["postinst", "prerm", "postrm", "preinst"]) expect(control.out).not.toContain(`./${script}`);
  });

  test("installs with apt, Depends resolved", () => {
    const r = sh(["apt-get", "install", "-y", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=120", deb], 300_000);
    expect(r.code, r.out).toBe(0);
    expect(sh(["dpkg-query", "-W", "-f", "${Status}", app.command]).out).toBe("install ok installed");
    for (const f of files) expect(existsSync(f), f).toBe(true);
    expect(statSync(`/${installed.bin}`).mode & 0o777).toBe(0o755);
    // The command is on PATH.
    expect(Bun.which(app.command)).toBe(`/${installed.bin}`);
  }, 300_000);

  test("the installed command reports its version", () => {
    const r = sh([`/${installed.bin}`, "--version"], 30_000);
    expect(r.code, r.out).toBe(0);
    expect(r.out.trim()).toBe(`easy-diffusion ${app.version}`);
  });

  test("the installed command serves the API with --server and stops on SIGTERM", async () => {
    const port = await freePort();
    const run = startExe(`/${installed.bin}`, ["--server", "--port", String(port), "--data-dir", dataDir], { cwd: tmp, env: { ...process.env, HOME: tmp } });
    try {
      await run.waitForOutput(/running at (http:\/\/\S+)/, 30_000);
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ok" });
    } finally {
      run.kill("SIGTERM");
    }
    expect(await run.exit(10_000)).toBe(0);
  }, 60_000);

  test("the installed desktop file is valid and launches the window", () => {
    const r = sh(["desktop-file-validate", `/${installed.desktop}`]);
    expect(r.code, r.out).toBe(0);
    const text = readFileSync(`/${installed.desktop}`, "utf8");
    expect(text).toMatch(/^Exec=easy-diffusion$/m);
    expect(text).toMatch(/^Icon=easy-diffusion$/m);
  }, 30_000);

  test("purge removes the program and keeps the user's data", () => {
    const before = readdirSync(dataDir, { recursive: true }).map(String).sort();
    for (const rel of ["models/stable-diffusion/my-model.safetensors", "outputs/2026-01-01/image.png", "config.yaml"]) {
      userFiles[rel] = readFileSync(join(dataDir, rel), "utf8");
    }
    const r = sh(["dpkg", "--purge", app.command], 120_000);
    expect(r.code, r.out).toBe(0);
    expect(sh(["dpkg-query", "-W", app.command]).code).not.toBe(0);
    for (const f of files) expect(existsSync(f), f).toBe(false);
    expect(readdirSync(dataDir, { recursive: true }).map(String).sort()).toEqual(before);
    for (const [rel, body] of Object.entries(userFiles)) expect(readFileSync(join(dataDir, rel), "utf8")).toBe(body);
  }, 120_000);
});
