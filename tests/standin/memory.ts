/**
 * Devices and GPU memory for the stand-in. Without `gpuMemoryMb` it is the
 * recorded CPU build: `--list-devices` prints one CPU line, and --auto-fit
 * warns "no usable GPU devices" (recorded list-devices-cpu.txt,
 * memory-levels-stdout.log). With `gpuMemoryMb` it plays a CUDA build with
 * one GPU of that size: auto-fit prints its plan in upstream's layout
 * (src/core/backend_fit.cpp print_plan, derive_backend_specs), and a run
 * whose need exceeds the GPU fails with ggml's out-of-memory lines (the
 * `oom` fault's). What each level needs is a simplified model (guessed):
 * everything resident (Fastest), the plan's resident or time-share need
 * (Automatic), the diffusion model alone (Low: --offload-to-cpu stages per
 * module), an eighth of it (Very low: --stream-layers), plus the compute
 * buffer, which grows with the picture's area.
 */
import type { StandinConfig } from "./config";
import { flag, has, type ParsedArgs } from "./flags";

/** The stand-in model's modules (the recorded "total params memory size" line), MiB. */
const PARAMS = { diffusion: 617, te: 235, vae: 160 };
const MiB = (n: number) => Math.round(n);

export function devices(config: StandinConfig): { name: string; description: string; memoryMb?: number }[] {
  const cpu = { name: "CPU", description: "AMD EPYC" };
  if (config.gpuMemoryMb <= 0) return [cpu];
  // ggml lists CUDA devices before the CPU, named CUDA<i> with the card's name as description (ggml-cuda.cu ggml_backend_cuda_reg).
  const gpu = (i: number) => ({ name: `CUDA${i}`, description: "NVIDIA Stand-in GPU", memoryMb: config.gpuMemoryMb });
  const gpus = Array.from({ length: Math.max(1, config.gpuCount) }, (_, i) => gpu(i));
  return [...gpus, cpu];
}

/** `--list-devices`: "name<TAB>description" per line (common.cpp, sd_list_devices). */
export function listDevices(config: StandinConfig): string {
  return devices(config).map((d) => `${d.name}\t${d.description}\n`).join("");
}

/**
 * Whether every device a --backend value names is one of ours: a single name, or module assignments
 * `module=dev` with `&`-joined device lists (layer split), docs/backend.md "Syntax" and "Multiple devices per module".
 */
export function backendKnown(config: StandinConfig, value: string): boolean {
  const names = value.split(",").flatMap((part) => (part.includes("=") ? part.slice(part.indexOf("=") + 1) : part).split("&"));
  return names.every((n) => ["cpu", "disk"].includes(n.toLowerCase()) || matchDevice(config, n) !== null);
}

/** Which --backend name a device matches: exact or unique prefix, case-insensitive (docs/backend.md "Backend names"). */
export function matchDevice(config: StandinConfig, name: string): string | null {
  const n = name.toLowerCase();
  if (["auto", "default", "", "gpu"].includes(n)) return devices(config)[0]!.name;
  const list = devices(config).map((d) => d.name);
  const exact = list.find((d) => d.toLowerCase() === n);
  if (exact) return exact;
  const prefixed = list.filter((d) => d.toLowerCase().startsWith(n));
  return prefixed.length === 1 ? prefixed[0]! : null;
}

export type Level = "fastest" | "auto" | "low" | "very_low";

/** The level the flags ask for, as common/memory-levels.ts writes them. */
export function levelOf(args: ParsedArgs): Level {
  if (has(args, "--stream-layers") && has(args, "--max-vram")) return "very_low";
  if (has(args, "--offload-to-cpu")) return "low";
  if (has(args, "--auto-fit")) return "auto";
  return "fastest";
}

/** --max-vram as GiB to spare (negative values) or a cap (positive); 0 / absent: none. */
function maxVram(args: ParsedArgs): number {
  const v = Number.parseFloat(flag(args, "--max-vram") ?? "0");
  return Number.isFinite(v) ? v : 0;
}

type Log = (level: "INFO" | "WARN", where: string, msg: string) => void;

/** Auto-fit at start: the warning on a CPU build, else the plan (print_plan's layout). Returns whether it time-shares. */
export function autoFit(config: StandinConfig, args: ParsedArgs, log: Log): boolean {
  if (has(args, "--backend") || has(args, "--params-backend")) log("WARN", "backend_fit.cpp:326", "--auto-fit is enabled; ignoring --backend / --params-backend");
  if (config.gpuMemoryMb <= 0) {
    log("WARN", "backend_fit.cpp:341", "auto-fit: no usable GPU devices; using the default backend");
    return false;
  }
  const v = maxVram(args);
  const free = config.gpuMemoryMb;
  const budget = MiB(v < 0 ? free + v * 1024 : v > 0 ? Math.min(free, v * 1024) : free - 512);
  const reserve = { diffusion: 360, te: 20, vae: 200 };
  const total = PARAMS.diffusion + PARAMS.te + PARAMS.vae + reserve.diffusion;
  const timeShare = total > budget;
  log("INFO", "backend_fit.cpp:240", `auto-fit plan${timeShare ? " (time-share: params load per phase and free after)" : ""}:`);
  log("INFO", "backend_fit.cpp:241", "  devices:");
  log("INFO", "backend_fit.cpp:243", `    ${"CUDA0".padEnd(12)} ${"NVIDIA Stand-in GPU".padEnd(32)} free ${String(free).padStart(6)} MiB, budget ${String(budget).padStart(6)} MiB`);
  log("INFO", "backend_fit.cpp:248", "  components:");
  for (const [name, key] of [["diffusion", "diffusion"], ["te", "te"], ["vae", "vae"]] as const) {
    const fits = PARAMS[key] + reserve[key] <= budget;
    log("INFO", "backend_fit.cpp:266", `    ${name.padEnd(12)} params ${String(PARAMS[key]).padStart(6)} MiB, compute reserve ${String(reserve[key]).padStart(5)} MiB -> ${fits ? "CUDA0" : "CPU"}`);
  }
  const spec = (["diffusion", "te", "vae"] as const).map((k) => `${k}=${PARAMS[k] + reserve[k] <= budget ? "cuda0" : "cpu"}`).join(",");
  const params = timeShare ? (["diffusion", "te", "vae"] as const).filter((k) => PARAMS[k] + reserve[k] <= budget).map((k) => `${k}=disk`).join(",") : "";
  log("INFO", "backend_fit.cpp:358", `auto-fit: --backend "${spec}"${params ? ` --params-backend "${params}"` : ""}`);
  return timeShare;
}

/** GPU memory a sampling pass needs at this level and size, MiB (the simplified model in this file's header). */
export function neededMb(level: Level, width: number, height: number, timeShare: boolean): number {
  const compute = MiB((width * height) / (64 * 64) * 5.6);
  const all = PARAMS.diffusion + PARAMS.te + PARAMS.vae;
  if (level === "fastest") return all + compute;
  if (level === "auto") return (timeShare ? PARAMS.diffusion : all) + compute;
  if (level === "low") return PARAMS.diffusion + compute;
  return MiB(PARAMS.diffusion / 8) + compute;
}
