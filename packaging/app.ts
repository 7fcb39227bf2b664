/**
 * What every package says about the app: names, ids, version, maintainer,
 * category, runtime dependencies. One pure function of package.json so each
 * format (deb, rpm, flatpak, .app, NSIS, easyinstaller) states the same facts.
 */
import pkg from "../package.json";

export interface AppInfo {
  /** Command and file name: /usr/bin/easy-diffusion, easy-diffusion.desktop, icon name. */
  command: string;
  /** Human name shown in menus and installers. */
  name: string;
  /** Reverse-DNS id used by AppStream, Flatpak and the macOS bundle. */
  id: string;
  version: string;
  summary: string;
  description: string;
  maintainer: string;
  homepage: string;
  license: string;
  /** freedesktop.org main category (the easyinstaller --app-category). */
  category: string;
}

export interface PackageJson {
  name: string;
  version: string;
  description?: string;
  license?: string;
}

export const APP_ID = "io.github.easydiffusion.EasyDiffusion";

export function appInfo(p: PackageJson = pkg): AppInfo {
  return {
    command: p.name,
    name: "Easy Diffusion",
    id: APP_ID,
    version: p.version,
    summary: "Create images with Stable Diffusion, Flux and friends",
    description: p.description ?? "Easy Diffusion",
    maintainer: "Easy Diffusion developers <easydiffusion@users.noreply.github.com>",
    homepage: "https://easydiffusion.github.io",
    license: p.license ?? "MIT",
    category: "Graphics",
  };
}

/** Debian's version syntax has no '-' in the upstream part without a revision; use '~' for pre-releases so 4.0.0~alpha.1 < 4.0.0. */
export function debianVersion(version: string): string {
  return `${version.replace(/-/g, "~")}-1`;
}

/** RPM versions cannot hold '-'; pre-releases sort before the release with '~'. */
export function rpmVersion(version: string): string {
  return version.replace(/-/g, "~");
}

/** The leading integers of a version, padded to `parts` (macOS bundles take 3, Windows file versions 4). */
export function numericVersion(version: string, parts: number): string {
  const nums = version.split(/[-+~]/)[0]!.split(".").map((n) => String(parseInt(n, 10) || 0));
  while (nums.length < parts) nums.push("0");
  return nums.slice(0, parts).join(".");
}
