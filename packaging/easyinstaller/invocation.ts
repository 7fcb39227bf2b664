/**
 * easyinstaller: its per-format configs (packaging/easyinstaller/<format>.yaml,
 * validated here) and the exact command line that turns a staged target
 * folder into a package. Building the argv is pure; running it is not.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { debianVersion, rpmVersion, type AppInfo } from "../app";
import { targetInfo, type Format, type Target } from "../targets";

export const FormatConfig = z.strictObject({
  type: z.string().min(1).describe("easyinstaller --type"),
  os: z.enum(["linux", "windows", "macos"]).describe("easyinstaller --os"),
  source: z.string().min(1).describe("what is packed, relative to dist/packages/<target>/"),
  exec: z.string().min(1).describe("the program the package launches (--app-exec)"),
  icon: z.string().min(1).describe("icon file relative to dist/packages/<target>/ (--app-icon)"),
  arch: z.strictObject({ x64: z.string(), arm64: z.string() }).describe("the format's names for the CPU"),
  output: z.string().includes("{version}").describe("file name; {command} {version} {arch} are filled in"),
  depends: z.array(z.string().min(1)).default([]).describe("runtime packages the installed app needs"),
});
export type FormatConfig = z.infer<typeof FormatConfig>;

export function loadFormatConfig(format: Format, dir = import.meta.dir): FormatConfig {
  const file = join(dir, `${format}.yaml`);
  const parsed = FormatConfig.safeParse(parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The version string each format's own rules accept. */
export function formatVersion(format: Format, version: string): string {
  if (format === "deb") return debianVersion(version);
  if (format === "rpm") return rpmVersion(version);
  return version;
}

/** The package's file name, from the format's `output` pattern. */
export function packageFileName(app: AppInfo, target: Target, format: Format, config: FormatConfig): string {
  const values: Record<string, string> = {
    command: app.command,
    version: formatVersion(format, app.version),
    arch: config.arch[targetInfo(target).arch],
  };
  return config.output.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`${format}.yaml: unknown placeholder {${key}} in output`);
    return values[key]!;
  });
}

export interface Invocation {
  format: Format;
  argv: string[];
  /** Absolute path of the package the command writes. */
  output: string;
}

/** The easyinstaller command for one format of one target. */
export function easyinstallerInvocation(opts: {
  app: AppInfo;
  target: Target;
  format: Format;
  config: FormatConfig;
  /** dist/packages/<target>/ */
  stageDir: string;
  /** dist/packages/ */
  outDir: string;
}): Invocation {
  const { app, target, format, config } = opts;
  const info = targetInfo(target);
  if (config.os !== info.os) throw new Error(`${format} is a ${config.os} format; ${target} is ${info.os}`);
  const arch = config.arch[info.arch];
  const version = formatVersion(format, app.version);
  const output = join(opts.outDir, packageFileName(app, target, format, config));
  const argv = [
    "easyinstaller",
    ["--source", join(opts.stageDir, config.source)],
    ["--os", config.os],
    ["--arch", arch],
    ["--type", config.type],
    ["--output", output],
    ["--app-name", app.name],
    ["--app-version", version],
    ["--app-description", app.summary],
    ["--app-maintainer", app.maintainer],
    ["--app-category", app.category],
    ["--app-exec", config.exec],
    ["--app-icon", join(opts.stageDir, config.icon)],
  ].flat();
  return { format, argv, output };
}

/** A POSIX shell line for the invocation (printed and written to easyinstaller.sh). */
export function shellLine(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}
