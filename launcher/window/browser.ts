/**
 * Opens a URL in the system's browser. An opener that exits with an error
 * (xdg-open with no browser installed exits 3) opened nothing: the caller
 * then prints the URL instead of claiming it opened.
 */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): string[] | null {
  if (platform === "darwin") return ["open", url];
  if (platform === "win32") return ["cmd", "/c", "start", "", url];
  // PATH as it is now (Bun.which alone reads the PATH the process started with).
  const which = (name: string) => Bun.which(name, { PATH: process.env.PATH ?? "" });
  const opener = which("xdg-open") ?? which("gio") ?? which("sensible-browser");
  if (!opener) return null;
  return opener.endsWith("gio") ? [opener, "open", url] : [opener, url];
}

/**
 * True when the opener ran and said it succeeded. One still running after
 * `waitMs` (a browser it started in the foreground) counts as opened.
 */
export async function openInBrowser(url: string, options: { waitMs?: number; platform?: NodeJS.Platform } = {}): Promise<boolean> {
  const cmd = browserCommand(url, options.platform);
  if (!cmd) return false;
  try {
    const proc = Bun.spawn(cmd, { stdio: ["ignore", "ignore", "ignore"] });
    const code = await Promise.race([proc.exited, Bun.sleep(options.waitMs ?? 5000).then(() => "running" as const)]);
    if (code === "running") {
      proc.unref();
      return true;
    }
    return code === 0;
  } catch {
    return false;
  }
}
