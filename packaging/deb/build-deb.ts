/**
 * Builds the .deb from the repo alone with `dpkg-deb --build --root-owner-group`
 * (easyinstaller makes the other formats; this one CI installs and checks).
 *
 * No maintainer scripts: dpkg's own triggers refresh the desktop database and
 * icon cache, and there is nothing else to do. So install, upgrade and purge
 * only ever add or remove the files listed in the package; the user's models,
 * images and settings in their home directory are never touched.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { appInfo, type AppInfo } from "../app";
import { renderPngs } from "../icons/render";
import { writeLinuxTree } from "../linux/tree";
import { targetInfo, type Target } from "../targets";
import { loadFormatConfig, packageFileName } from "../easyinstaller/invocation";
import { debControl } from "./control";

export interface DebInput {
  app?: AppInfo;
  target: Target;
  exe: string;
  /** Folder that receives the .deb (its staging tree goes in a subfolder). */
  outDir: string;
  /** xz for releases; gzip -1 or none where speed matters more than size (tests). */
  compression?: "xz" | "gzip" | "none";
  level?: number;
  pngs?: Map<number, Uint8Array>;
  date?: string;
}

export async function buildDeb(input: DebInput): Promise<string> {
  const app = input.app ?? appInfo();
  const config = loadFormatConfig("deb");
  const info = targetInfo(input.target);
  if (info.os !== "linux") throw new Error(`a .deb is for Linux; ${input.target} is ${info.os}`);
  const debArch = config.arch[info.arch];
  const root = join(input.outDir, `deb-root-${input.target}`);
  rmSync(root, { recursive: true, force: true });
  const files = writeLinuxTree(root, {
    app,
    exe: input.exe,
    pngs: input.pngs ?? (await renderPngs()),
    date: input.date ?? new Date().toISOString().slice(0, 10),
  });
  const installedBytes = files.reduce((n, f) => n + statSync(join(root, f)).size, 0);
  mkdirSync(join(root, "DEBIAN"), { recursive: true });
  writeFileSync(join(root, "DEBIAN", "control"), debControl({ app, arch: debArch, installedBytes, depends: config.depends }));
  writeFileSync(join(root, "DEBIAN", "md5sums"), md5sums(root, files));

  const out = join(input.outDir, packageFileName(app, input.target, "deb", config));
  rmSync(out, { force: true });
  const compression = input.compression ?? "xz";
  const args = ["dpkg-deb", "--root-owner-group", `-Z${compression}`];
  if (compression !== "none") args.push(`-z${input.level ?? (compression === "xz" ? 9 : 1)}`);
  args.push("--build", root, out);
  const proc = Bun.spawnSync(args, { stdout: "pipe", stderr: "pipe" });
  if (proc.exitCode !== 0) {
    throw new Error(`${args.join(" ")} failed (${proc.exitCode}): ${proc.stderr.toString().trim()}`);
  }
  rmSync(root, { recursive: true, force: true });
  return out;
}

function md5sums(root: string, files: string[]): string {
  return files.map((f) => `${createHash("md5").update(readFileSync(join(root, f))).digest("hex")}  ${f}\n`).join("");
}
