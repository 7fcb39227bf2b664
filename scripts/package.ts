/**
 * `bun run package [--target <t>|all]... [--format <f>|all]... [--no-build]`
 *
 * Builds the executables (scripts/build.ts) and, in dist/packages/, the
 * package inputs and packages for each target: icons, .desktop, AppStream
 * metainfo, Flatpak manifest, .app bundle, NSIS script, the easyinstaller
 * commands (dist/packages/<target>/easyinstaller.sh), and every format a
 * tool on this machine can make. Without --target: this machine's target.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { appInfo } from "../packaging/app";
import { renderPngs } from "../packaging/icons/render";
import { packageTarget, type PackageResult } from "../packaging/package-target";
import { FORMATS, hostTarget, targetInfo, TARGETS, type Format, type Target } from "../packaging/targets";
import { buildUi } from "./build-ui";
import { compileExe, outfileFor } from "./build";

const root = join(import.meta.dir, "..");

export interface PackageOptions {
  targets: Target[];
  formats: Format[];
  build: boolean;
}

function expand<T extends string>(values: string[], all: readonly T[], what: string): T[] {
  const out = new Set<T>();
  for (const v of values.flatMap((x) => x.split(","))) {
    if (v === "all") all.forEach((x) => out.add(x));
    else if ((all as readonly string[]).includes(v)) out.add(v as T);
    else throw new Error(`unknown ${what} "${v}"; use one of ${all.join(", ")} or all`);
  }
  return [...out];
}

/** Pure: argv → what to package. Throws on bad input. */
export function parsePackageArgs(argv: string[], host: Target | undefined): PackageOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: "string", multiple: true },
      format: { type: "string", multiple: true },
      "no-build": { type: "boolean" },
    },
    strict: true,
  });
  let targets = expand(values.target ?? [], TARGETS, "target");
  if (targets.length === 0) {
    if (!host) throw new Error(`this machine (${process.platform}-${process.arch}) is not a target; pass --target`);
    targets = [host];
  }
  const formats = values.format ? expand(values.format, FORMATS, "format") : [...FORMATS];
  const usable = formats.filter((f) => targets.some((t) => targetInfo(t).formats.includes(f)));
  if (usable.length === 0) throw new Error(`no target among ${targets.join(", ")} has the format(s) ${formats.join(", ")}`);
  return { targets, formats: usable, build: !values["no-build"] };
}

export async function runPackage(options: PackageOptions): Promise<PackageResult[]> {
  const app = appInfo();
  const outDir = join(root, "dist", "packages");
  mkdirSync(outDir, { recursive: true });
  if (options.build) await buildUi({ minify: true });
  const pngs = await renderPngs();
  const date = new Date().toISOString().slice(0, 10);
  const results: PackageResult[] = [];
  for (const target of options.targets) {
    const exe = outfileFor(target);
    if (options.build) {
      const built = await compileExe(target);
      console.log(`built ${relative(root, built.file)} (${(built.bytes / 1e6).toFixed(1)} MB)`);
    } else if (!existsSync(exe)) {
      throw new Error(`${relative(root, exe)} is missing; run without --no-build`);
    }
    const formats = options.formats.filter((f) => targetInfo(target).formats.includes(f));
    results.push(...(await packageTarget({ app, target, exe, formats, outDir, pngs, date })));
  }
  return results;
}

function summary(results: PackageResult[]): string {
  return results
    .map((r) => {
      const what = `${r.target.padEnd(13)} ${r.format.padEnd(9)} ${r.status.padEnd(8)}`;
      if (r.status === "built") return `${what} ${relative(root, r.file!)}  ${((r.bytes ?? 0) / 1e6).toFixed(1)} MB`;
      return `${what} ${r.reason}`;
    })
    .join("\n");
}

if (import.meta.main) {
  let options: PackageOptions;
  try {
    options = parsePackageArgs(process.argv.slice(2), hostTarget());
  } catch (err) {
    console.error(`package: ${(err as Error).message}`);
    process.exit(2);
  }
  const started = performance.now();
  const results = await runPackage(options);
  console.log(`\n${summary(results)}\n\npackaged in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (results.some((r) => r.status === "skipped" && !Bun.which("easyinstaller"))) {
    console.log("easyinstaller is not on PATH: the skipped formats were not built. Install it and run again, or run dist/packages/<target>/easyinstaller.sh.");
  }
  process.exit(results.some((r) => r.status === "failed") ? 1 : 0);
}
