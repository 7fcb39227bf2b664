/**
 * GPU memory use, in words (Easy Diffusion 3's levels), → sd-server flags.
 * Pure. The flags and their order are upstream's (docs/performance.md and
 * docs/backend.md at 97d2990): "Ordered from fastest to smallest-VRAM: no
 * flags → --offload-to-cpu → --offload-to-cpu --max-vram <N> →
 * --offload-to-cpu --max-vram <N> --stream-layers"; --auto-fit places the
 * diffusion model, text encoders and VAE by the devices' free memory
 * (src/core/backend_fit.cpp derive_backend_specs).
 */

/** From the most GPU memory used to the least: an out-of-memory retry goes one step right. */
export const MEMORY_LEVELS = ["fastest", "auto", "low", "very_low"] as const;
export type MemoryLevel = (typeof MEMORY_LEVELS)[number];

export const MEMORY_LABELS: Record<MemoryLevel, string> = {
  auto: "Automatic",
  fastest: "Fastest",
  low: "Low",
  very_low: "Very low",
};

export interface MemoryChoice {
  memory: MemoryLevel;
  /** GB of GPU memory to leave for other apps (0: the engine's own margin). */
  leave_free_gb: number;
  /** A device name from `sd-server --list-devices` (e.g. CUDA0), or "" for the engine's choice. */
  device: string;
  /** The older boolean setting: on, with memory left at auto, it means low. */
  offload_to_cpu?: boolean;
}

/** The level in effect for a setting (the older offload_to_cpu: true reads as low). */
export function effectiveLevel(c: Pick<MemoryChoice, "memory" | "offload_to_cpu">): MemoryLevel {
  return c.offload_to_cpu && c.memory === "auto" ? "low" : c.memory;
}

/**
 * The next level down, or null at the bottom. On a chosen device Automatic passes no --auto-fit (memoryArgs), so
 * it asks the engine for what Fastest does: an out-of-memory retry from Fastest goes on to Low there.
 */
export function lowerLevel(level: MemoryLevel, device = ""): MemoryLevel | null {
  const next = MEMORY_LEVELS[MEMORY_LEVELS.indexOf(level) + 1] ?? null;
  return next === "auto" && device ? lowerLevel(next, device) : next;
}

/** `--max-vram`: a negative value is "free memory minus that many GiB" (common.cpp --max-vram help). */
const spare = (gb: number, fallback: number) => `-${gb > 0 ? Number(gb.toFixed(2)) : fallback}`;

/**
 * The flags for a level (and the device, → --backend). With a device chosen, Automatic does not pass --auto-fit:
 * auto-fit ignores --backend ("--auto-fit is enabled; ignoring --backend / --params-backend", backend_fit.cpp).
 */
export function memoryArgs(level: MemoryLevel, c: Pick<MemoryChoice, "leave_free_gb" | "device">): string[] {
  const args: string[] = c.device ? ["--backend", c.device] : [];
  switch (level) {
    case "auto":
      if (!c.device) args.push("--auto-fit");
      if (c.leave_free_gb > 0) args.push("--max-vram", spare(c.leave_free_gb, 0));
      return args;
    case "fastest":
      return args;
    case "low":
      return [...args, "--offload-to-cpu"];
    case "very_low":
      // Text encoders and VAE reloaded from disk for their phase (docs/performance.md "--offload-to-cpu --params-backend te=disk");
      // the diffusion model's blocks streamed from RAM, each forward pass cut to fit the budget.
      return [...args, "--offload-to-cpu", "--params-backend", "te=disk,vae=disk", "--max-vram", spare(c.leave_free_gb, 1), "--stream-layers"];
  }
}
