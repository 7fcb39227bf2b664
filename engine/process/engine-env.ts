/**
 * The environment every engine process gets (the server and its `--list-devices` run alike), over this
 * process's own: CUDA numbers GPUs fastest first by default, nvidia-smi by PCI bus; PCI_BUS_ID makes
 * CUDA<i> the i-th GPU nvidia-smi lists, so the memory detection reads (engine/pool/plan.ts `withMemory`)
 * belongs to the engine pinned there (CUDA_DEVICE_ORDER, NVIDIA's CUDA Programming Guide, "CUDA
 * Environment Variables"). A value the user set wins. Pure.
 */
export function engineEnv(base: Record<string, string | undefined>, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { CUDA_DEVICE_ORDER: "PCI_BUS_ID", ...base, ...extra };
}
