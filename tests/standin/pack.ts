/**
 * Makes engine builds out of the stand-in, so an install dir behaves like a
 * real sd.cpp build: `sd-server` (an sh wrapper) beside the program and an
 * optional `standin.json` with its delays and faults.
 *
 * - standinBuild(dir): a wrapper that runs the TypeScript source (fast; for
 *   supervisor and manager tests).
 * - packStandin(dir): bundled `sd-server.js` and `sd-cli.js` (Bun.build) plus their wrappers.
 * - packStandinZip(zip): the same as a release zip, in a top folder like
 *   upstream's assets, exec bits kept.
 */
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ZipFile } from "yazl";
import type { StandinConfig } from "./config";

const SOURCE = join(import.meta.dir, "sd-server.ts");
/** The stand-in sd-cli (`-M upscale`), shipped beside sd-server as upstream's release zips do. */
const CLI_SOURCE = join(import.meta.dir, "sd-cli.ts");

function writeWrapper(dir: string, program: string, config?: Partial<StandinConfig>, name = "sd-server") {
  mkdirSync(dir, { recursive: true });
  const wrapper = join(dir, name);
  writeFileSync(
    wrapper,
    `#!/bin/sh\nSTANDIN_PROGRAM_DIR="$(dirname "$0")" STANDIN_ARGV0="$0" exec bun ${program} "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  if (config) writeFileSync(join(dir, "standin.json"), JSON.stringify(config, null, 2));
  return wrapper;
}

/** A build folder whose `sd-server` (and `sd-cli`, unless `cli: false`, like an older import) runs the stand-in's source. Returns the server path. */
export function standinBuild(dir: string, config?: Partial<StandinConfig>, options: { cli?: boolean } = {}): string {
  if (options.cli !== false) writeWrapper(dir, JSON.stringify(CLI_SOURCE), undefined, "sd-cli");
  return writeWrapper(dir, JSON.stringify(SOURCE), config);
}

/** A self-contained build folder: bundled sd-server.js + wrapper. Returns the server path. */
export async function packStandin(dir: string, config?: Partial<StandinConfig>): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const result = await Bun.build({ entrypoints: [SOURCE], target: "bun", outdir: dir, naming: "sd-server.js" });
  if (!result.success) throw new Error(`bundling the stand-in failed: ${result.logs.join("\n")}`);
  const cli = await Bun.build({ entrypoints: [CLI_SOURCE], target: "bun", outdir: dir, naming: "sd-cli.js" });
  if (!cli.success) throw new Error(`bundling the stand-in sd-cli failed: ${cli.logs.join("\n")}`);
  writeWrapper(dir, `"$(dirname "$0")/sd-cli.js"`, undefined, "sd-cli");
  return writeWrapper(dir, `"$(dirname "$0")/sd-server.js"`, config);
}

/** A release-like zip of the packed stand-in; entries under `topFolder/` when given. */
export async function packStandinZip(zipPath: string, options: { config?: Partial<StandinConfig>; topFolder?: string; workDir: string }): Promise<void> {
  const dir = join(options.workDir, "standin-pack");
  await packStandin(dir, options.config);
  const zip = new ZipFile();
  for (const rel of readdirSync(dir, { recursive: true }) as string[]) {
    const full = join(dir, rel);
    const stat = statSync(full);
    if (!stat.isFile()) continue;
    const name = options.topFolder ? `${options.topFolder}/${relative(dir, full)}` : relative(dir, full);
    zip.addFile(full, name, { mode: stat.mode });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  await Bun.write(zipPath, Buffer.concat(chunks));
}
