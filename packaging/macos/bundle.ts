/**
 * The macOS .app bundle that the .dmg and .pkg carry:
 * Easy Diffusion.app/Contents/{Info.plist, MacOS/easy-diffusion, Resources/easy-diffusion.icns}.
 */
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { numericVersion, type AppInfo } from "../app";
import { escapeXml } from "../linux/metainfo";

/** Info.plist for the bundle. Pure. */
export function infoPlist(app: AppInfo): string {
  const entries: [string, string | boolean][] = [
    ["CFBundleName", app.name],
    ["CFBundleDisplayName", app.name],
    ["CFBundleIdentifier", app.id],
    ["CFBundleExecutable", app.command],
    ["CFBundleIconFile", `${app.command}.icns`],
    ["CFBundlePackageType", "APPL"],
    ["CFBundleInfoDictionaryVersion", "6.0"],
    ["CFBundleShortVersionString", numericVersion(app.version, 3)],
    ["CFBundleVersion", app.version.replace(/[^0-9.]/g, ".").replace(/\.+/g, ".").replace(/\.$/, "")],
    ["LSApplicationCategoryType", "public.app-category.graphics-design"],
    // Apple-silicon builds use Metal; 12 is the oldest macOS Bun runs on.
    ["LSMinimumSystemVersion", "12.0"],
    ["NSHighResolutionCapable", true],
    ["NSHumanReadableCopyright", `© ${app.maintainer.replace(/\s*<.*>/, "")}`],
  ];
  const body = entries
    .map(([k, v]) => `\t<key>${k}</key>\n\t${typeof v === "boolean" ? `<${v}/>` : `<string>${escapeXml(v)}</string>`}`)
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
${body}
</dict>
</plist>
`;
}

/** Writes <stageDir>/Easy Diffusion.app; returns its path. */
export function stageAppBundle(stageDir: string, app: AppInfo, exe: string, icns: string): string {
  const bundle = join(stageDir, `${app.name}.app`);
  rmSync(bundle, { recursive: true, force: true });
  const contents = join(bundle, "Contents");
  mkdirSync(join(contents, "MacOS"), { recursive: true });
  mkdirSync(join(contents, "Resources"), { recursive: true });
  writeFileSync(join(contents, "Info.plist"), infoPlist(app));
  writeFileSync(join(contents, "PkgInfo"), "APPL????");
  copyFileSync(exe, join(contents, "MacOS", app.command));
  chmodSync(join(contents, "MacOS", app.command), 0o755);
  copyFileSync(icns, join(contents, "Resources", `${app.command}.icns`));
  return bundle;
}
