/**
 * The sd-server command line, as a pure function of the engine settings, the
 * model set and the port. Always passes an explicit --lora-model-dir: the
 * server otherwise scans its working directory (contract README). No -v:
 * its DEBUG output would copy every prompt into the engine log.
 */
import type { Config } from "../../core/config/schema";
import { effectiveLevel, memoryArgs } from "../../common/memory-levels";
import type { ModelSet } from "../types";

/** memory, leave_free_gb and device are optional: without them no memory or device flag is passed (the config always has them). */
export type EngineFlags = Pick<Config["engine"], "flash_attention" | "offload_to_cpu" | "vae_tiling" | "vae_tile_size" | "mmap" | "threads"> &
  Partial<Pick<Config["engine"], "memory" | "leave_free_gb" | "device">>;

const MODEL_FLAGS: [keyof ModelSet, string][] = [
  ["model", "-m"],
  ["diffusionModel", "--diffusion-model"],
  ["vae", "--vae"],
  ["clipL", "--clip_l"],
  ["clipG", "--clip_g"],
  ["t5xxl", "--t5xxl"],
  ["llm", "--llm"],
  ["controlNet", "--control-net"],
  ["taesd", "--taesd"],
  ["upscaleModel", "--upscale-model"],
  ["highNoiseDiffusionModel", "--high-noise-diffusion-model"],
  ["clipVision", "--clip_vision"],
  ["motionModule", "--motion-module"],
  ["audioVae", "--audio-vae"],
  ["embeddingsConnectors", "--embeddings-connectors"],
];

/** Seamless tiling axes → sd-server's circular padding flag (a generation default, read only at start). */
const CIRCULAR_FLAGS = { xy: "--circular", x: "--circularx", y: "--circulary" } as const;

export function buildServerArgs(flags: EngineFlags, models: ModelSet, port: number): string[] {
  const args: string[] = [];
  for (const [key, flag] of MODEL_FLAGS) {
    const path = models[key];
    if (path) args.push(flag, path);
  }
  args.push("--lora-model-dir", models.loraDir);
  if (models.embeddingsDir) args.push("--embd-dir", models.embeddingsDir);
  if (models.circular) args.push(CIRCULAR_FLAGS[models.circular]);
  if (models.upscalersDir) args.push("--hires-upscalers-dir", models.upscalersDir);
  args.push("--listen-ip", "127.0.0.1", "--listen-port", String(port));
  if (flags.flash_attention) args.push("--fa");
  // GPU memory use: the model set's (a level remembered after running out of memory) or the setting's.
  const level = models.memory ?? effectiveLevel({ memory: flags.memory ?? "fastest", offload_to_cpu: flags.offload_to_cpu });
  args.push(...memoryArgs(level, { leave_free_gb: flags.leave_free_gb ?? 0, device: flags.device ?? "" }));
  if (flags.vae_tiling) {
    // The setting is in pixels; sd-server's tile size is in latent cells (8 px each).
    const cells = Math.max(8, Math.round(flags.vae_tile_size / 8));
    args.push("--vae-tiling", "--vae-tile-size", `${cells}x${cells}`);
  }
  if (flags.mmap) args.push("--mmap");
  if (flags.threads > 0) args.push("-t", String(flags.threads));
  return args;
}

/** The model files a set names (for existence checks before starting). */
export function modelFiles(models: ModelSet): string[] {
  return MODEL_FLAGS.map(([key]) => models[key]).filter((p): p is string => !!p);
}
