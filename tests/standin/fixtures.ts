/** Test helpers: temp folders, a dummy model set, stand-in builds as InstalledBuilds, waiting for conditions. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Backend, InstalledBuild, ModelSet } from "../../engine/types";
import type { StandinConfig } from "./config";
import { standinBuild } from "./pack";

export function tempDir(prefix = "ed-engine-"): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A model file (contents do not matter to the stand-in) and a LoRA folder with one LoRA. */
export function dummyModels(root: string): ModelSet {
  const models = join(root, "models");
  mkdirSync(join(models, "lora"), { recursive: true });
  writeFileSync(join(models, "sd-test.safetensors"), "stand-in model");
  writeFileSync(join(models, "lora", "detail.safetensors"), "stand-in lora");
  return { model: join(models, "sd-test.safetensors"), loraDir: join(models, "lora") };
}

/** Fast defaults for tests: quick start and steps. */
export const FAST: Partial<StandinConfig> = { startDelayMs: 100, stepMs: 15, loadMs: 5, decodeMs: 10 };

export function standinInstalled(root: string, variant: string, config: Partial<StandinConfig> = {}, backend: Backend = "cpu"): InstalledBuild {
  const dir = join(root, "engines", "test-tag", variant);
  const serverPath = standinBuild(dir, { ...FAST, ...config });
  return { tag: "test-tag", variant, backend, dir, serverPath };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 25): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(everyMs);
  }
}

/** Whether a pid is alive and not a zombie (Linux: /proc). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}
