/**
 * Windows package inputs: the folder easyinstaller and makensis pack
 * (easy-diffusion.exe + its .ico), the portable zip (built here with yazl),
 * and the NSIS installer when makensis is on PATH.
 */
import { copyFileSync, createWriteStream, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ZipFile } from "yazl";
import { numericVersion, type AppInfo } from "../app";

export const NSIS_SCRIPT = join(import.meta.dir, "installer.nsi");
export const WINDOWS_APP_DIR = "windows-app";

/** Writes dist/packages/<target>/windows-app/; returns the folder. */
export function stageWindowsApp(stageDir: string, exe: string, ico: string): string {
  const dir = join(stageDir, WINDOWS_APP_DIR);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(exe, join(dir, "easy-diffusion.exe"));
  copyFileSync(ico, join(dir, "easy-diffusion.ico"));
  return dir;
}

/** The portable zip: one "Easy Diffusion" folder holding the exe and icon. */
export async function buildZip(appDir: string, out: string, app: AppInfo): Promise<string> {
  rmSync(out, { force: true });
  const zip = new ZipFile();
  for (const name of ["easy-diffusion.exe", "easy-diffusion.ico"]) {
    zip.addFile(join(appDir, name), `${app.name}/${name}`, { compress: true });
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const stream = createWriteStream(out);
    zip.outputStream.pipe(stream).on("close", resolve).on("error", reject);
    zip.outputStream.on("error", reject);
  });
  return out;
}

/** The makensis command line for the installer. Pure. */
export function makensisArgv(app: AppInfo, appDir: string, out: string): string[] {
  return [
    "makensis",
    "-V2",
    `-DVERSION=${app.version}`,
    `-DVIVERSION=${numericVersion(app.version, 4)}`,
    `-DSOURCE=${appDir}`,
    `-DOUTFILE=${out}`,
    NSIS_SCRIPT,
  ];
}
