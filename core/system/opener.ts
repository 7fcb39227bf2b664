/**
 * Opens a URL in the system's browser, or a folder in its file manager. An
 * opener that exits with an error (xdg-open with nothing to open it with
 * exits 3) opened nothing: the caller then says where to look instead of
 * claiming it opened.
 */
import { dirname } from "node:path";

/** The Linux opener on the PATH as it is now (Bun.which alone reads the PATH the process started with). */
function linuxOpener(target: string): string[] | null {
  const which = (name: string) => Bun.which(name, { PATH: process.env.PATH ?? "" });
  const opener = which("xdg-open") ?? which("gio") ?? which("sensible-browser");
  if (!opener) return null;
  return opener.endsWith("gio") ? [opener, "open", target] : [opener, target];
}

export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): string[] | null {
  if (platform === "darwin") return ["open", url];
  if (platform === "win32") return ["cmd", "/c", "start", "", url];
  return linuxOpener(url);
}

/** "Show in folder": the file manager on a picture, selected where the platform can (Linux openers take the folder). */
export function revealCommand(path: string, platform: NodeJS.Platform = process.platform): string[] | null {
  if (platform === "darwin") return ["open", "-R", path];
  if (platform === "win32") return ["explorer.exe", `/select,${path}`];
  return linuxOpener(dirname(path));
}

/**
 * True when the opener ran and said it succeeded. One still running after
 * `waitMs` (a browser it started in the foreground) counts as opened.
 */
export async function runOpener(cmd: string[] | null, waitMs = 5000): Promise<boolean> {
  if (!cmd) return false;
  try {
    const proc = Bun.spawn(cmd, { stdio: ["ignore", "ignore", "ignore"], windowsHide: true });
    const code = await Promise.race([proc.exited, Bun.sleep(waitMs).then(() => "running" as const)]);
    if (code === "running") {
      proc.unref();
      return true;
    }
    // explorer.exe /select exits 1 even when it opened the window.
    return code === 0 || (code === 1 && cmd[0] === "explorer.exe");
  } catch {
    return false;
  }
}

export function openInBrowser(url: string, options: { waitMs?: number; platform?: NodeJS.Platform } = {}): Promise<boolean> {
  return runOpener(browserCommand(url, options.platform), options.waitMs);
}
