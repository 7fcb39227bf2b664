/**
 * The platforms we ship and, for each, the package formats that belong to it
 * (each format names the CPU its own way in packaging/easyinstaller/). Pure data.
 */
import { TARGETS, type Target } from "../scripts/build";

export { TARGETS, type Target };

export const FORMATS = ["deb", "rpm", "appimage", "flatpak", "dmg", "pkg", "zip", "nsis"] as const;
export type Format = (typeof FORMATS)[number];

export interface TargetInfo {
  os: "linux" | "windows" | "macos";
  arch: "x64" | "arm64";
  formats: Format[];
}

export function targetInfo(target: Target): TargetInfo {
  const [os, arch] = target.split("-") as [string, "x64" | "arm64"];
  const common = { arch };
  switch (os) {
    case "linux":
      return { ...common, os: "linux", formats: ["deb", "rpm", "appimage", "flatpak"] };
    case "windows":
      return { ...common, os: "windows", formats: ["zip", "nsis"] };
    default:
      return { ...common, os: "macos", formats: ["dmg", "pkg"] };
  }
}

/** The target of the machine running this script, if we ship one for it. */
export function hostTarget(platform: string = process.platform, arch: string = process.arch): Target | undefined {
  const os = platform === "win32" ? "windows" : platform;
  const t = `${os}-${arch}`;
  return (TARGETS as readonly string[]).includes(t) ? (t as Target) : undefined;
}
