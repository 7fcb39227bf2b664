/**
 * Which files sd-server can use as a LoRA, and how it names them. Read from
 * upstream stable-diffusion.cpp at the pinned release (master-827-97d2990),
 * examples/server/runtime.cpp: `refresh_lora_cache` walks `--lora-model-dir`
 * recursively (regular files only, symlinked folders not followed) and keeps
 * files whose lower-cased extension passes `is_supported_model_ext`; a request's
 * `lora[].path` is accepted only when it equals one entry's `path` (the file
 * relative to the folder, forward slashes; `get_lora_full_path`). Anything else
 * is a 400 "invalid generation parameters". Pure; browser-safe.
 */

/** The extensions sd-server's LoRA scan keeps (`is_supported_model_ext`), lower case. */
export const LORA_EXTENSIONS: readonly string[] = [".safetensors", ".gguf", ".pt", ".pth"];

function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot).toLowerCase() : "";
}

/** Why a file (name or relative path) cannot be used as a LoRA by the engine, or null when it can. */
export function loraFileProblem(name: string): string | null {
  const ext = extensionOf(name);
  if (!ext) return `the engine only loads LoRA files ending in ${LORA_EXTENSIONS.join(", ")} (this one has no extension)`;
  if (!LORA_EXTENSIONS.includes(ext)) return `the engine does not load ${ext} files as LoRAs (it loads ${LORA_EXTENSIONS.join(", ")})`;
  return null;
}

/** The string sd-server expects in `lora[].path`: the file relative to --lora-model-dir, with forward slashes. */
export function loraEnginePath(relativePath: string): string {
  return relativePath.split("\\").join("/");
}
