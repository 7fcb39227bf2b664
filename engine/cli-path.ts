/**
 * Where a build's `sd-cli` is: upstream's release zips ship it beside
 * sd-server (build/bin/*), and source builds install it there too. Null for
 * a build without one (an older import).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { InstalledBuild } from "./types";

export function cliOf(build: Pick<InstalledBuild, "serverPath">, platform: NodeJS.Platform = process.platform): string | null {
  const cli = join(dirname(build.serverPath), platform === "win32" ? "sd-cli.exe" : "sd-cli");
  return existsSync(cli) ? cli : null;
}
