/**
 * The files a Linux package installs, laid out under a staging root the way
 * they land on the user's disk (/usr/bin, /usr/share/...). Shared by the
 * .deb builder and the AppImage/rpm inputs. Only program files: the user's
 * models, images and settings live in their home (XDG dirs) and no package
 * ever lists or touches them.
 */
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { APP_ID, type AppInfo } from "../app";
import { ICON_SVG } from "../icons/render";
import { DESKTOP_FILE, metainfoFor } from "./metainfo";

export interface LinuxTreeInput {
  app: AppInfo;
  /** The compiled executable for this target. */
  exe: string;
  /** Rendered PNG icons by size. */
  pngs: Map<number, Uint8Array>;
  /** YYYY-MM-DD of the release line in the metainfo. */
  date: string;
}

/** Installed path (relative to /) of every file, by role. Pure. */
export function linuxPaths(app: AppInfo, sizes: number[]) {
  return {
    bin: `usr/bin/${app.command}`,
    desktop: `usr/share/applications/${app.command}.desktop`,
    metainfo: `usr/share/metainfo/${APP_ID}.metainfo.xml`,
    svg: `usr/share/icons/hicolor/scalable/apps/${app.command}.svg`,
    pngs: sizes.map((s) => `usr/share/icons/hicolor/${s}x${s}/apps/${app.command}.png`),
    copyright: `usr/share/doc/${app.command}/copyright`,
  };
}

/** Writes the tree under `root`; returns the installed paths (relative to /). */
export function writeLinuxTree(root: string, input: LinuxTreeInput): string[] {
  const { app, pngs } = input;
  const sizes = [...pngs.keys()];
  const paths = linuxPaths(app, sizes);
  const put = (rel: string, data: string | Uint8Array, mode = 0o644) => {
    const file = join(root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
    chmodSync(file, mode);
  };
  // Copied, never stripped: the Bun runtime carries the app appended to its end.
  mkdirSync(dirname(join(root, paths.bin)), { recursive: true });
  copyFileSync(input.exe, join(root, paths.bin));
  chmodSync(join(root, paths.bin), 0o755);
  put(paths.desktop, readFileSync(DESKTOP_FILE));
  put(paths.metainfo, metainfoFor(app.version, input.date));
  put(paths.svg, readFileSync(ICON_SVG));
  sizes.forEach((size, i) => put(paths.pngs[i]!, pngs.get(size)!));
  put(paths.copyright, copyrightFile(app));
  return [paths.bin, paths.desktop, paths.metainfo, paths.svg, ...paths.pngs, paths.copyright];
}

/** Debian-style machine-readable copyright file. */
export function copyrightFile(app: AppInfo): string {
  return [
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
    `Upstream-Name: ${app.name}`,
    `Source: ${app.homepage}`,
    "",
    "Files: *",
    `Copyright: ${app.maintainer.replace(/\s*<.*>/, "")}`,
    `License: ${app.license}`,
    "",
  ].join("\n");
}
