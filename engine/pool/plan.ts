/**
 * Which devices get an engine, and how a model set runs on them. Pure.
 *
 * The devices are what `sd-server --list-devices` prints ("name<TAB>description", upstream
 * examples/common/common.cpp and src/core/util.cpp sd_list_devices at 97d2990), with the GPU memory
 * detection found (engine/detect). ggml's CPU device is never a GPU of the pool.
 *
 * - Throughput: one engine per GPU, each pinned with `--backend <device>` ("--backend selects the runtime
 *   backend used to execute model graphs", upstream docs/backend.md): every GPU makes its own pictures.
 * - Split: a model set that fits only across the GPUs runs on one engine over all of them: the diffusion
 *   model and the dominant text encoder are layer-split (`--backend "diffusion=cuda0&cuda1"`), row-split
 *   on CUDA (`--split-mode row`: "currently available on CUDA only"), docs/backend.md "Multiple devices
 *   per module". Upstream keeps "a compute-buffer headroom of about 2 GiB per device" when it splits.
 */
import type { EngineDevice } from "../devices";

export interface PoolDevice extends EngineDevice {
  /** GPU memory, when detection could tell. */
  memoryBytes?: number;
}

export type SetMode = "throughput" | "split";

export const GiB = 1024 ** 3;
/** Room a device needs beside the weights (upstream's split headroom, docs/backend.md). */
export const HEADROOM_BYTES = 2 * GiB;

/** ggml's CPU backend device ("CPU", recorded list-devices-cpu.txt) runs no engine of its own in the pool. */
export const isGpu = (d: EngineDevice) => !/^cpu$/i.test(d.name);

/**
 * The devices that get an engine each. `chosen` empty: Automatic, every GPU listed. A single pinned
 * `device` (the older setting) with Automatic keeps one engine as before; fewer than two GPUs and no
 * choice: one engine, unpinned, as before (empty answer). Unknown chosen names are left out.
 */
export function poolDevices(listed: PoolDevice[], chosen: readonly string[], pinned = ""): PoolDevice[] {
  const gpus = listed.filter(isGpu);
  if (!chosen.length) return pinned || gpus.length < 2 ? [] : gpus;
  const wanted = new Set(chosen.map((c) => c.toLowerCase()));
  return gpus.filter((d) => wanted.has(d.name.toLowerCase()));
}

/**
 * How a model set of `setBytes` runs on the pool: throughput when it fits each device (or memory is not
 * known), split when it fits only across them, throughput again when it does not fit even across them
 * (each engine then lowers its memory use: common/memory-levels.ts).
 */
export function setMode(setBytes: number, devices: readonly PoolDevice[]): SetMode {
  if (devices.length < 2 || devices.some((d) => !d.memoryBytes)) return "throughput";
  const smallest = Math.min(...devices.map((d) => d.memoryBytes!));
  if (setBytes + HEADROOM_BYTES <= smallest) return "throughput";
  const total = devices.reduce((sum, d) => sum + d.memoryBytes!, 0);
  return setBytes + HEADROOM_BYTES * devices.length <= total ? "split" : "throughput";
}

/** The `--backend` value and split mode of one engine over these devices (docs/backend.md syntax). */
export function splitBackend(devices: readonly PoolDevice[]): { backend: string; splitMode?: "row" } {
  const names = devices.map((d) => d.name);
  const all = names.join("&");
  const backend = `all=${names[0]},diffusion=${all},te=${all}`;
  return names.every((n) => /^cuda\d+$/i.test(n)) ? { backend, splitMode: "row" } : { backend };
}

/** Detected GPU memory per listed device: the n-th device of a backend is that vendor's n-th GPU (nvidia-smi order for CUDA). */
export function withMemory(listed: EngineDevice[], gpus: { vendor: string; vramBytes?: number }[]): PoolDevice[] {
  const byVendor = (v: string) => gpus.filter((g) => g.vendor === v);
  return listed.map((d) => {
    const m = /^(cuda|rocm|vulkan)(\d+)$/i.exec(d.name);
    if (!m) return d;
    const list = m[1]!.toLowerCase() === "cuda" ? byVendor("nvidia") : m[1]!.toLowerCase() === "rocm" ? byVendor("amd") : gpus;
    const bytes = list[Number(m[2])]?.vramBytes;
    return bytes ? { ...d, memoryBytes: bytes } : d;
  });
}
