/**
 * Knobs only the stand-in knows: delays and fault switches. Read from a
 * `standin.json` beside the program (so one packed build can behave
 * differently from another) and then from STANDIN_* variables, which win.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export type Fault =
  | "none"
  /** Killed by SIGSEGV when sampling reaches step `faultStep`. */
  | "crash-at-step"
  /** Stops answering HTTP and printing (still alive) when sampling reaches `faultStep`, or at once with 0. */
  | "hang"
  /** Exits 1 before listening with an error line. */
  | "fail-start"
  /** Prints a GPU out-of-memory error while sampling and fails the job. */
  | "oom"
  /** sd-cli only: the upscaler's compute buffer does not fit (out-of-memory lines, input saved unchanged, exit 0). */
  | "upscale-oom"
  /** Exits 127 with the dynamic loader's message about `missingLibrary`. */
  | "missing-library"
  /** Exits 1 with the loader's "GLIBC_2.39 not found". */
  | "glibc"
  /** Exits 1 saying no GPU device is there. */
  | "no-device"
  /** Exits 1 saying the model's version is unknown (recorded: a LoRA given as the model). */
  | "unsupported-model"
  /** Exits 1 as for a cut-short .safetensors (recorded: "data offsets out of bounds for tensor"). */
  | "damaged-model"
  /** Exits 1 as for a file in no model format (recorded: "unknown format"). */
  | "not-a-model";

export interface StandinConfig {
  /** Delay before `GET /` answers (the real one: about 0.6 s). */
  startDelayMs: number;
  /** Time per sampling step. */
  stepMs: number;
  /** Time per tensor-loading bar update. */
  loadMs: number;
  /** Time to decode latents. */
  decodeMs: number;
  /** Finished jobs expire after this many seconds (real: 600). */
  jobTtlS: number;
  /** Pending (queued + generating) jobs allowed before 429 (real: 64). */
  maxPending: number;
  fault: Fault;
  faultStep: number;
  missingLibrary: string;
  /** Apply the fault only on the first N starts (0: always). Counted in `counterFile`. */
  faultTimes: number;
  counterFile?: string;
  /** 0: the recorded CPU build. Else a CUDA build with one GPU of this many MiB: auto-fit plans, and a run that needs more fails out of memory (memory.ts). */
  gpuMemoryMb: number;
  /** Video formats the build was made with besides avi, comma-separated ("webp,webm"); "" = neither (SD_WEBP/SD_WEBM off). */
  videoBuild: string;
}

const DEFAULTS: StandinConfig = {
  startDelayMs: 600,
  stepMs: 50,
  loadMs: 20,
  decodeMs: 50,
  jobTtlS: 600,
  maxPending: 64,
  fault: "none",
  faultStep: 1,
  missingLibrary: "libvulkan.so.1",
  faultTimes: 0,
  gpuMemoryMb: 0,
  videoBuild: "",
};

const ENV_KEYS: Record<string, keyof StandinConfig> = {
  STANDIN_START_DELAY_MS: "startDelayMs",
  STANDIN_STEP_MS: "stepMs",
  STANDIN_LOAD_MS: "loadMs",
  STANDIN_DECODE_MS: "decodeMs",
  STANDIN_JOB_TTL_S: "jobTtlS",
  STANDIN_MAX_PENDING: "maxPending",
  STANDIN_FAULT: "fault",
  STANDIN_FAULT_STEP: "faultStep",
  STANDIN_MISSING_LIBRARY: "missingLibrary",
  STANDIN_FAULT_TIMES: "faultTimes",
  STANDIN_COUNTER_FILE: "counterFile",
  STANDIN_GPU_MEMORY_MB: "gpuMemoryMb",
  STANDIN_VIDEO_BUILD: "videoBuild",
};

export function loadConfig(programDir: string, env: Record<string, string | undefined> = process.env): StandinConfig {
  const config: Record<string, unknown> = { ...DEFAULTS };
  const file = join(programDir, "standin.json");
  if (existsSync(file)) Object.assign(config, JSON.parse(readFileSync(file, "utf8")));
  for (const [key, field] of Object.entries(ENV_KEYS)) {
    const value = env[key];
    if (value === undefined || value === "") continue;
    config[field] = typeof DEFAULTS[field] === "number" ? Number(value) : value;
  }
  return config as unknown as StandinConfig;
}

/** Counts this start; the fault stays active while the count is within `faultTimes`. */
export function faultActive(config: StandinConfig): boolean {
  if (config.fault === "none") return false;
  if (!config.faultTimes || !config.counterFile) return true;
  const starts = (existsSync(config.counterFile) ? Number(readFileSync(config.counterFile, "utf8")) || 0 : 0) + 1;
  writeFileSync(config.counterFile, String(starts));
  return starts <= config.faultTimes;
}

/**
 * The folder the stand-in program lives in (where standin.json and argv.jsonl go):
 * STANDIN_PROGRAM_DIR when set (the sh wrappers set it), else the executable's own
 * folder for a program compiled with `bun build --compile` (its Bun.main is inside
 * the read-only embedded file system: /$bunfs/… or B:\~BUN\…), else the script's.
 */
export function programDir(): string {
  if (process.env.STANDIN_PROGRAM_DIR) return process.env.STANDIN_PROGRAM_DIR;
  const compiled = Bun.main.startsWith("/$bunfs/") || /^[A-Z]:[\\/]~BUN[\\/]/i.test(Bun.main);
  return compiled ? dirname(process.execPath) : dirname(Bun.main);
}
