/** Opens a URL in the system's browser; returns false when no opener exists. */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): string[] | null {
  if (platform === "darwin") return ["open", url];
  if (platform === "win32") return ["cmd", "/c", "start", "", url];
  const opener = Bun.which("xdg-open") ?? Bun.which("gio") ?? Bun.which("sensible-browser");
  if (!opener) return null;
  return opener.endsWith("gio") ? [opener, "open", url] : [opener, url];
}

export function openInBrowser(url: string): boolean {
  const cmd = browserCommand(url);
  if (!cmd) return false;
  try {
    const proc = Bun.spawn(cmd, { stdio: ["ignore", "ignore", "ignore"] });
    proc.unref();
    return true;
  } catch {
    return false;
  }
}
