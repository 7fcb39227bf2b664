/**
 * Linux package inputs under dist/packages/<target>/: the /usr tree (deb,
 * rpm), the AppDir (AppImage) and the Flatpak build folder (manifest and
 * the files it installs).
 */
import { copyFileSync, cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { APP_ID } from "../app";
import { DESKTOP_FILE, metainfoFor } from "./metainfo";
import { writeLinuxTree, type LinuxTreeInput } from "./tree";

const FLATPAK_DIR = join(import.meta.dir, "flatpak");
export const FLATPAK_MANIFEST = join(FLATPAK_DIR, `${APP_ID}.yml`);

function fresh(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function stageLinuxRoot(stageDir: string, input: LinuxTreeInput): string {
  const dir = fresh(join(stageDir, "linux-root"));
  writeLinuxTree(dir, input);
  return dir;
}

/** An AppDir: the /usr tree plus AppRun, the .desktop file and the icon at its root. */
export function stageAppDir(stageDir: string, input: LinuxTreeInput): string {
  const dir = fresh(join(stageDir, "AppDir"));
  writeLinuxTree(dir, input);
  const { command } = input.app;
  symlinkSync(`usr/bin/${command}`, join(dir, "AppRun"));
  copyFileSync(DESKTOP_FILE, join(dir, `${command}.desktop`));
  writeFileSync(join(dir, `${command}.png`), input.pngs.get(256)!);
  symlinkSync(`${command}.png`, join(dir, ".DirIcon"));
  return dir;
}

/** The Flatpak build folder: manifest, wrapper, executable, desktop file, metainfo, icons. */
export function stageFlatpak(stageDir: string, input: LinuxTreeInput & { iconsDir: string }): string {
  const dir = fresh(join(stageDir, "flatpak"));
  const { app } = input;
  copyFileSync(FLATPAK_MANIFEST, join(dir, `${APP_ID}.yml`));
  copyFileSync(join(FLATPAK_DIR, "easy-diffusion-flatpak.sh"), join(dir, "easy-diffusion-flatpak.sh"));
  copyFileSync(input.exe, join(dir, app.command));
  copyFileSync(DESKTOP_FILE, join(dir, `${app.command}.desktop`));
  writeFileSync(join(dir, `${APP_ID}.metainfo.xml`), metainfoFor(app.version, input.date));
  cpSync(input.iconsDir, join(dir, "icons"), { recursive: true, filter: (src) => !/\.(ico|icns)$/.test(src) });
  return dir;
}
