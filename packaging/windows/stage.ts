/**
 * Windows package inputs: the folder easyinstaller and makensis pack
 * (easy-diffusion.exe, the console program for the terminal; Easy Diffusion.exe,
 * the same program marked GUI for the Start menu; the .ico), the portable zip
 * (built here with yazl), and the NSIS installer when makensis is on PATH. The
 * installer carries only the console exe and makes the GUI copy at install time
 * (one byte apart: no second 130 MB in the download).
 */
import { copyFileSync, createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ZipFile } from "yazl";
import { numericVersion, type AppInfo } from "../app";
import { subsystemOffset, withSubsystem } from "../../launcher/system/pe-subsystem";

export const NSIS_SCRIPT = join(import.meta.dir, "installer.nsi");
export const WINDOWS_APP_DIR = "windows-app";
/** The console program: on PATH, for `--server` and `engine import`. */
export const CLI_EXE = "easy-diffusion.exe";
/** The GUI program: the Start menu's and the zip's double-click. */
export const GUI_EXE = "Easy Diffusion.exe";

/** Writes dist/packages/<target>/windows-app/; returns the folder. */
export function stageWindowsApp(stageDir: string, exe: string, ico: string): string {
  const dir = join(stageDir, WINDOWS_APP_DIR);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const bytes = readFileSync(exe);
  writeFileSync(join(dir, CLI_EXE), withSubsystem(bytes, "console"));
  writeFileSync(join(dir, GUI_EXE), withSubsystem(bytes, "gui"));
  copyFileSync(ico, join(dir, "easy-diffusion.ico"));
  return dir;
}

/** The portable zip: one "Easy Diffusion" folder holding both programs and the icon. */
export async function buildZip(appDir: string, out: string, app: AppInfo): Promise<string> {
  rmSync(out, { force: true });
  const zip = new ZipFile();
  for (const name of [GUI_EXE, CLI_EXE, "easy-diffusion.ico"]) {
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

/**
 * The makensis command line for the installer. Pure. `compressor` replaces the
 * script's solid LZMA (the tests pass zlib: LZMA costs ~90 s of CPU on the exe).
 */
export function makensisArgv(app: AppInfo, appDir: string, out: string, compressor?: string): string[] {
  return [
    "makensis",
    "-V2",
    ...(compressor ? [`-DCOMPRESSOR=${compressor}`] : []),
    `-DVERSION=${app.version}`,
    `-DVIVERSION=${numericVersion(app.version, 4)}`,
    `-DSOURCE=${appDir}`,
    `-DSUBSYSTEM_OFFSET=${subsystemOffset(readFileSync(join(appDir, CLI_EXE)))}`,
    `-DOUTFILE=${out}`,
    NSIS_SCRIPT,
  ];
}
