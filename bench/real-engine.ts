/**
 * The real sd-server for the benches that can use one (speed.ts, generate.ts):
 * BENCH_SD_SERVER (an sd-server program) and BENCH_MODEL (an SD 1.x/2.x/XL
 * checkpoint), or the first installed build and checkpoint in the data folder
 * (ED_HOME or the default); null when there is none. Also: the build record
 * for a bench data folder, and a process's CPU seconds (Linux).
 */
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { basename, join } from "node:path";
import { readEnv } from "../core/env";
import { resolvePaths } from "../core/paths";
import type { InstalledBuild } from "../engine/types";

export interface RealEngine {
  server: string;
  model: string;
}

/** The real engine and a checkpoint, from the environment or the data folder; null when there is none. */
export function realEngine(): RealEngine | null {
  if (process.env.BENCH_SD_SERVER && process.env.BENCH_MODEL) return { server: process.env.BENCH_SD_SERVER, model: process.env.BENCH_MODEL };
  const paths = resolvePaths(readEnv(process.env));
  const find = (dir: string, match: (name: string) => boolean, depth: number): string | null => {
    if (!existsSync(dir)) return null;
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (depth > 0) {
          const found = find(full, match, depth - 1);
          if (found) return found;
        }
      } else if (match(name)) return full;
    }
    return null;
  };
  const server = find(paths.engines, (n) => n === "sd-server" || n === "sd-server.exe", 4);
  const model = find(join(paths.models, "stable-diffusion"), (n) => /\.(safetensors|gguf|ckpt)$/i.test(n), 3);
  return server && model ? { server, model } : null;
}

/** Links the real checkpoint into a bench data folder's model folder; gives its name and the build record. */
export function useRealEngine(real: RealEngine, modelsDir: string): { modelName: string; build: InstalledBuild } {
  const modelName = basename(real.model);
  symlinkSync(real.model, join(modelsDir, modelName));
  return { modelName, build: { tag: "bench", variant: "real", backend: "cpu", dir: join(real.server, ".."), serverPath: real.server } };
}

/** CPU seconds (user + system) a process has used so far (Linux /proc); null elsewhere or when it is gone. */
export function cpuSeconds(pid: number | undefined = process.pid): number | null {
  if (!pid || !existsSync(`/proc/${pid}/stat`)) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}
