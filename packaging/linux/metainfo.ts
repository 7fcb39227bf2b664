/**
 * The AppStream metainfo shipped by every Linux package: the committed XML
 * with its release line set to the version being packaged.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { APP_ID } from "../app";

export const METAINFO_FILE = join(import.meta.dir, `${APP_ID}.metainfo.xml`);
export const DESKTOP_FILE = join(import.meta.dir, "easy-diffusion.desktop");

/** The metainfo XML whose <releases> names `version` (released on `date`, YYYY-MM-DD) first. */
export function metainfoFor(version: string, date: string, xml = readFileSync(METAINFO_FILE, "utf8")): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`release date must be YYYY-MM-DD, got "${date}"`);
  const release = `<release version="${escapeXml(version)}" date="${date}"/>`;
  const replaced = xml.replace(/<releases>[\s\S]*?<\/releases>/, (block) => {
    if (block.includes(`version="${escapeXml(version)}"`)) return block;
    return block.replace("<releases>", `<releases>\n    ${release}`);
  });
  if (replaced === xml && !xml.includes(`version="${escapeXml(version)}"`)) throw new Error("metainfo has no <releases> block");
  return replaced;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** Parses a .desktop file into groups of keys (enough to check what we ship). */
export function parseDesktopFile(text: string): Record<string, Record<string, string>> {
  const groups: Record<string, Record<string, string>> = {};
  let group: Record<string, string> | undefined;
  for (const line of text.split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      group = groups[header[1]!] = {};
      continue;
    }
    const eq = line.indexOf("=");
    if (group && eq > 0) group[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return groups;
}
