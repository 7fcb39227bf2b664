/**
 * "Show in folder": the command that opens the system file manager on a
 * picture (selected where the platform can), by platform. Pure, so it is
 * tested without opening anything.
 */
import { dirname } from "node:path";

export function revealCommand(platform: NodeJS.Platform, path: string): string[] {
  if (platform === "darwin") return ["open", "-R", path];
  if (platform === "win32") return ["explorer.exe", `/select,${path}`];
  return ["xdg-open", dirname(path)];
}
