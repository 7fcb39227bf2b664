/**
 * The NSIS installer under Wine (issue 21), made by the packaging code from the
 * Windows executable (wine.ts windowsInstaller: zlib instead of LZMA, the rest
 * the product's own script): a silent install (`/S`) per user, the installed
 * program answering, the Start menu shortcut, the uninstall entry and the PATH;
 * then a silent uninstall, started as Windows starts it (the registry's
 * UninstallString, a C:\ path), which removes all that and keeps the user's
 * data folders, as the installer's page says.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSubsystem } from "../../launcher/system/pe-subsystem";
import { appInfo } from "../../packaging/app";
import { freePort, startExe } from "../exe/exe";
import { waitFor } from "../standin/fixtures";
import { needWine, releaseWineKit, windowsInstaller, wineKit, type WineKit } from "./wine";
import { need } from "../kit/needs";

const hasWine = needWine();
const hasMakensis = need("makensis (NSIS)", !!Bun.which("makensis"), "sudo apt install nsis");
const UNINSTALL_KEY = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\EasyDiffusion";
/** The engine's release API answers 404 at once: the started program never reaches GitHub. */
const releases = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => Response.json({ message: "Not Found" }, { status: 404 }) });

let kit: WineKit;
let setup = "";
let t0 = 0;
let profile = "";
/** The user's data folders (the app's defaults); removed after the tests only if these tests made them. */
let dataDirs: string[] = [];
let madeData = false;

beforeAll(async () => {
  if (!hasWine || !hasMakensis) return;
  t0 = performance.now();
  kit = await wineKit();
  setup = await windowsInstaller(kit);
  console.log(`wine: kit and installer ready in ${Math.round(performance.now() - t0)} ms`);
  const users = readdirSync(join(kit.driveC, "users")).filter((n) => n.toLowerCase() !== "public");
  profile = join(kit.driveC, "users", users[0]!);
  dataDirs = [join(profile, "AppData", "Local", "Easy Diffusion"), join(profile, "AppData", "Roaming", "Easy Diffusion")];
  madeData = !dataDirs.some(existsSync);
}, 600_000);

afterAll(async () => {
  releases.stop(true);
  if (!hasWine || !hasMakensis) return;
  if (madeData) for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
  await releaseWineKit();
  console.log(`wine: installer.test.ts took ${Math.round(performance.now() - t0)} ms`);
});

/** A Windows program run to its end (the installer, reg.exe); its exit code and output. */
async function wine(args: string[]): Promise<{ code: number; out: string }> {
  const r = startExe("wine", args, { env: kit.env });
  const code = await r.exit(120_000);
  return { code, out: r.output() };
}

/** The values under a registry key, as `reg query` lists them; null when the key is not there. */
async function regValues(key: string): Promise<Record<string, string> | null> {
  const r = await wine(["reg", "query", key]);
  if (r.code !== 0) return null;
  const values: Record<string, string> = {};
  for (const m of r.out.matchAll(/^\s+(\S+)\s+REG_\w+\s+(.*?)\s*$/gm)) values[m[1]!] = m[2]!;
  return values;
}

function installDir(): string {
  return join(profile, "AppData", "Local", "Programs", "Easy Diffusion");
}

function shortcut(): string {
  return join(profile, "AppData", "Roaming", "Microsoft", "Windows", "Start Menu", "Programs", "Easy Diffusion.lnk");
}

describe.skipIf(!hasWine || !hasMakensis)("the NSIS installer under Wine", () => {
  test("silent install: both programs, the Start menu shortcut, the uninstall entry, the PATH", async () => {
    expect(readFileSync(setup).subarray(0, 2).toString()).toBe("MZ");
    const r = await wine([setup, "/S"]);
    expect(r.code).toBe(0);
    const dir = installDir();
    expect(readdirSync(dir).sort()).toEqual(["Easy Diffusion.exe", "easy-diffusion.exe", "easy-diffusion.ico", "uninstall.exe"]);
    // The GUI program is made at install time from the console one: the same bytes, Subsystem 2.
    expect(readSubsystem(readFileSync(join(dir, "easy-diffusion.exe")))).toBe("console");
    expect(readSubsystem(readFileSync(join(dir, "Easy Diffusion.exe")))).toBe("gui");
    // The shortcut's target (a .lnk keeps it in its link info, ANSI or UTF-16).
    const lnk = readFileSync(shortcut());
    const target = `${kit.win(dir)}\\Easy Diffusion.exe`;
    expect(lnk.includes(Buffer.from(target, "latin1")) || lnk.includes(Buffer.from(target, "utf16le"))).toBe(true);
    const entry = await regValues(UNINSTALL_KEY);
    expect(entry).toMatchObject({
      DisplayName: "Easy Diffusion",
      DisplayVersion: appInfo().version,
      InstallLocation: kit.win(dir),
      UninstallString: `"${kit.win(dir)}\\uninstall.exe"`,
    });
    expect((await regValues("HKCU\\Environment"))?.Path?.split(";")).toContain(kit.win(dir));
  }, 180_000);

  test("the installed program starts and answers: --version, and --server with the default data folders", async () => {
    // Wine 8 lacks bcryptprimitives' ProcessPrng (see wine.ts): the stub goes in the prefix's
    // system32, where Windows has the real one, so the install folder holds only what the installer wrote.
    copyFileSync(join(kit.exe, "..", "bcryptprimitives.dll"), join(kit.driveC, "windows", "system32", "bcryptprimitives.dll"));
    const exe = join(installDir(), "easy-diffusion.exe");
    const v = startExe("wine", [exe, "--version"], { env: kit.env });
    expect(await v.exit(60_000)).toBe(0);
    expect(v.output()).toContain(`easy-diffusion ${appInfo().version}`);
    mkdirSync(dataDirs[1]!, { recursive: true });
    writeFileSync(join(dataDirs[1]!, "config.yaml"), `engine:\n  api_base: http://127.0.0.1:${releases.port}/\n`);
    const app = startExe("wine", [exe, "--server", "--port", String(await freePort())], { env: kit.env });
    try {
      const url = (await app.waitForOutput(/running at (http:\/\/\S+)/, 60_000))[1]!;
      expect((await fetch(new URL("api/health", url))).status).toBe(200);
      expect(existsSync(join(dataDirs[0]!, "logs", "easy-diffusion.log"))).toBe(true);
    } finally {
      app.kill("SIGKILL");
      await app.proc.exited;
    }
  }, 120_000);

  test("silent uninstall, started as Windows starts it, removes the program and keeps the user's data", async () => {
    const command = (await regValues(UNINSTALL_KEY))?.UninstallString;
    expect(command).toBeDefined();
    const r = await wine([command!.replaceAll('"', ""), "/S"]);
    expect(r.code).toBe(0);
    // The uninstaller copies itself to %TEMP% and goes on from there, so its first process has already
    // exited: wait for its last step (the PATH), then look at everything.
    const onPath = async () => ((await regValues("HKCU\\Environment"))?.Path ?? "").split(";").includes(kit.win(installDir()));
    await waitFor("the PATH entry removed", async () => !(await onPath()), 60_000, 250);
    expect(existsSync(installDir())).toBe(false);
    expect(existsSync(shortcut())).toBe(false);
    expect(await regValues(UNINSTALL_KEY)).toBeNull();
    expect(existsSync(join(dataDirs[0]!, "logs", "easy-diffusion.log"))).toBe(true);
    expect(readFileSync(join(dataDirs[1]!, "config.yaml"), "utf8")).toContain("api_base");
  }, 120_000);
});
