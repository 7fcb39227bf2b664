/**
 * Which LoRA files the engine can load. Upstream's sd-server finds a
 * request's LoRA by scanning its LoRA folder for these extensions
 * (examples/server/runtime.cpp `is_supported_model_ext`, tag
 * master-827-97d2990): a .ckpt LoRA is never found there.
 * (Placeholder written by models-core against the engine-fidelity helper's
 * name; that branch's version of this file wins on merge.)
 */
export const LORA_EXTENSIONS = [".safetensors", ".gguf", ".pt", ".pth"];

/** Why the engine cannot load this LoRA file, or null when it can. */
export function loraFileProblem(name: string): string | null {
  const lower = name.toLowerCase();
  if (LORA_EXTENSIONS.some((e) => lower.endsWith(e))) return null;
  return `the engine loads LoRAs only as ${LORA_EXTENSIONS.join(", ")} files`;
}
