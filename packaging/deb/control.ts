/** The DEBIAN/control file of the .deb, a pure function of the app facts. */
import { debianVersion, type AppInfo } from "../app";

export interface ControlInput {
  app: AppInfo;
  /** Debian architecture: amd64, arm64. */
  arch: string;
  /** Sum of the installed files' sizes in bytes. */
  installedBytes: number;
  /** Runtime packages (from packaging/easyinstaller/deb.yaml). */
  depends: string[];
}

export function debControl({ app, arch, installedBytes, depends }: ControlInput): string {
  const description = app.description
    .split(/\n\s*\n/)
    .map((para) => para.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .map((para) => ` ${para}`)
    .join("\n .\n");
  const fields: [string, string][] = [
    ["Package", app.command],
    ["Version", debianVersion(app.version)],
    ["Architecture", arch],
    ["Maintainer", app.maintainer],
    ["Installed-Size", String(Math.ceil(installedBytes / 1024))],
    ["Depends", depends.join(", ")],
    // Opens the system browser when the window cannot.
    ["Recommends", "xdg-utils"],
    ["Section", "graphics"],
    ["Priority", "optional"],
    ["Homepage", app.homepage],
    ["Description", `${app.summary}\n${description}`],
  ];
  for (const [key, value] of fields) {
    if (!value.trim()) throw new Error(`control field ${key} is empty`);
  }
  return fields.map(([k, v]) => `${k}: ${v}`).join("\n") + "\n";
}
