/**
 * `easy-diffusion engine import <zip-or-folder> [--data-dir D]`: installs a
 * local sd.cpp build (see engine/install/import.ts). Usage errors are caught
 * by the argument parser (exit 2); a build that cannot be imported exits 1.
 */
import { resolve } from "node:path";
import type { Env } from "../core/env";
import { resolvePaths } from "../core/paths";
import { EngineError } from "./install/engine-error";
import { importBuild } from "./install/import";

/** `easy-diffusion engine import <zip|folder>`, as the launcher's command line parses it. */
export interface EngineImportCommand {
  kind: "engine-import";
  source: string;
  dataDir?: string;
  config?: string;
}

export async function runEngineImport(cmd: EngineImportCommand, env: Env): Promise<number> {
  const paths = resolvePaths(env, { dataDir: cmd.dataDir, config: cmd.config });
  const source = resolve(cmd.source);
  try {
    const build = await importBuild(source, paths);
    console.log(`Imported ${source} as a ${build.backend} build into ${build.dir}.`);
    console.log("Easy Diffusion uses it from the next engine start (imported builds come first).");
    return 0;
  } catch (err) {
    if (err instanceof EngineError) {
      console.error(`easy-diffusion: could not import ${source}: ${err.info.message}`);
      if (err.info.hint) console.error(`  → ${err.info.hint}`);
      for (const line of err.info.lastLines ?? []) console.error(`  | ${line}`);
    } else console.error(`easy-diffusion: could not import ${source}: ${(err as Error).message}`);
    return 1;
  }
}
