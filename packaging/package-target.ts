/**
 * Packages one target: stages the inputs every format needs under
 * dist/packages/<target>/, then produces each requested format with the
 * builder we have here (deb: dpkg-deb; zip: yazl; rpm: rpmbuild and nsis:
 * makensis when on PATH) or easyinstaller when it is on PATH. A format nothing can build is
 * reported as skipped with the reason; no output is ever faked.
 */
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AppInfo } from "./app";
import { buildDeb } from "./deb/build-deb";
import { easyinstallerInvocation, loadFormatConfig, packageFileName, shellLine, type Invocation } from "./easyinstaller/invocation";
import { writeIconSet } from "./icons/render";
import { stageAppBundle } from "./macos/bundle";
import { buildRpm } from "./rpm/build-rpm";
import { stageAppDir, stageFlatpak, stageLinuxRoot } from "./linux/stage";
import { targetInfo, type Format, type Target } from "./targets";
import { buildZip, makensisArgv, stageWindowsApp, WINDOWS_APP_DIR } from "./windows/stage";

export interface PackageResult {
  target: Target;
  format: Format;
  status: "built" | "skipped" | "failed";
  /** The package file (built) or why not (skipped/failed). */
  file?: string;
  bytes?: number;
  reason?: string;
  /** The command that built it, when one ran. */
  command?: string;
}

export interface TargetJob {
  app: AppInfo;
  target: Target;
  exe: string;
  formats: Format[];
  /** dist/packages/ */
  outDir: string;
  pngs: Map<number, Uint8Array>;
  date: string;
  /** The NSIS installer's compressor instead of the script's own (tests: "zlib"). */
  nsisCompressor?: string;
  /** Which tools are on PATH (injected so tests can pretend). */
  which?: (tool: string) => string | null;
  log?: (line: string) => void;
}

export async function packageTarget(job: TargetJob): Promise<PackageResult[]> {
  const { app, target, exe, outDir, pngs, date } = job;
  const which = job.which ?? ((t: string) => Bun.which(t));
  const log = job.log ?? console.log;
  const info = targetInfo(target);
  const stageDir = join(outDir, target);
  const tree = { app, exe, pngs, date };

  const iconsDir = writeIconSet(join(stageDir, "icons"), app.command, pngs, {
    ico: info.os === "windows",
    icns: info.os === "macos",
  });
  if (info.os === "linux") {
    stageLinuxRoot(stageDir, tree);
    stageAppDir(stageDir, tree);
    stageFlatpak(stageDir, { ...tree, iconsDir });
  } else if (info.os === "windows") {
    stageWindowsApp(stageDir, exe, join(iconsDir, `${app.command}.ico`));
  } else {
    stageAppBundle(stageDir, app, exe, join(iconsDir, `${app.command}.icns`));
  }

  // Every easyinstaller command for this target, runnable later on a machine that has it.
  const invocations = info.formats.map((format) =>
    easyinstallerInvocation({ app, target, format, config: loadFormatConfig(format), stageDir, outDir }),
  );
  writeFileSync(
    join(stageDir, "easyinstaller.sh"),
    [
      "#!/bin/sh",
      "# easyinstaller commands for this target (written by `bun run package`).",
      "set -e",
      ...invocations.map((i) => shellLine(i.argv)),
    ].join("\n") + "\n",
    { mode: 0o755 },
  );

  const results: PackageResult[] = [];
  for (const format of job.formats) {
    const inv = invocations.find((i) => i.format === format)!;
    const result = await produce(format, inv);
    if (result.status === "built" && result.file) result.bytes = statSync(result.file).size;
    results.push(result);
    log(`${target} ${format}: ${result.status}${result.file ? ` ${result.file}` : ""}${result.reason ? ` (${result.reason})` : ""}`);
  }
  return results;

  async function produce(format: Format, inv: Invocation): Promise<PackageResult> {
    const base = { target, format };
    try {
      if (format === "deb") {
        const file = await buildDeb({ app, target, exe, outDir, pngs, date });
        return { ...base, status: "built", file, command: "dpkg-deb --build --root-owner-group" };
      }
      if (format === "zip") {
        const file = join(outDir, packageFileName(app, target, "zip", loadFormatConfig("zip")));
        await buildZip(join(stageDir, WINDOWS_APP_DIR), file, app);
        return { ...base, status: "built", file, command: "yazl" };
      }
      if (format === "rpm" && which("rpmbuild")) {
        const file = await buildRpm({ app, target, exe, outDir, pngs, date });
        return { ...base, status: "built", file, command: "rpmbuild -bb" };
      }
      const makensis = format === "nsis" ? which("makensis") : null;
      if (makensis) return run(base, makensisArgv(app, join(stageDir, WINDOWS_APP_DIR), inv.output, job.nsisCompressor), inv.output, makensis);
      const easyinstaller = which("easyinstaller");
      if (easyinstaller) return run(base, inv.argv, inv.output, easyinstaller);
      const alt = format === "nsis" ? " and makensis is not either" : format === "rpm" ? " and rpmbuild is not either" : "";
      return { ...base, status: "skipped", reason: `easyinstaller is not on PATH${alt}; the command is in ${join(stageDir, "easyinstaller.sh")}` };
    } catch (err) {
      return { ...base, status: "failed", reason: (err as Error).message };
    }
  }

  /** Runs argv with argv[0] resolved to `tool` (the path `which` found). */
  function run(base: { target: Target; format: Format }, argv: string[], output: string, tool: string): PackageResult {
    const command = shellLine(argv);
    log(`$ ${command}`);
    const proc = Bun.spawnSync([tool, ...argv.slice(1)], { stdout: "pipe", stderr: "pipe" });
    if (proc.exitCode !== 0) {
      const detail = (proc.stderr.toString() || proc.stdout.toString()).trim().split("\n").slice(-5).join("\n");
      return { ...base, status: "failed", command, reason: `exit ${proc.exitCode}: ${detail}` };
    }
    if (!existsSync(output)) return { ...base, status: "failed", command, reason: `${argv[0]} exited 0 but wrote no ${output}` };
    return { ...base, status: "built", file: output, command };
  }
}
