/**
 * sd-server's command line, as `sd-server --help` lists it
 * (tests/fixtures/sd-server/sd-server-help.txt). Unknown flags and missing
 * values fail the way the real binary does: a message, the usage, exit 1.
 */

/** Flags that take a value, with their short aliases. */
const VALUE_FLAGS = [
  "-l|--listen-ip", "--serve-html-path", "--listen-port",
  "-m|--model", "--clip_l", "--clip_g", "--clip_vision", "--t5xxl", "--llm", "--llm_vision", "--qwen2vl",
  "--qwen2vl_vision", "--diffusion-model", "--high-noise-diffusion-model", "--uncond-diffusion-model",
  "--embeddings-connectors", "--vae", "--vae-format", "--audio-vae", "--taesd", "--tae", "--control-net",
  "--ip-adapter", "--motion-module", "--embd-dir", "--lora-model-dir", "--hires-upscalers-dir",
  "--tensor-type-rules", "--model-args", "--photo-maker", "--pulid-weights", "--upscale-model", "--backend",
  "--params-backend", "--split-mode", "--rpc-servers", "--max-vram", "-t|--threads", "--type", "--rng",
  "--sampler-rng", "--prediction", "--lora-apply-mode",
  "-p|--prompt", "-n|--negative-prompt", "--ad-model", "--ad-prompt", "--ad-negative-prompt", "--extra-ad-args",
  "-i|--init-img", "--end-img", "--mask", "--control-image", "--ip-adapter-image", "--control-video",
  "--pm-id-images-dir", "--pm-id-embed-path", "--pulid-id-embedding", "--hires-upscaler", "--extra-sample-args",
  "--extra-tiling-args", "--ref-image-args", "-H|--height", "-W|--width", "--steps", "--high-noise-steps",
  "--clip-skip", "-b|--batch-count", "--qwen-image-layers", "--video-frames", "--fps", "--timestep-shift",
  "--upscale-repeats", "--upscale-tile-size", "--hires-width", "--hires-height", "--hires-steps",
  "--hires-upscale-tile-size", "--cfg-scale", "--img-cfg-scale", "--guidance", "--slg-scale", "--skip-layer-start",
  "--skip-layer-end", "--eta", "--flow-shift", "--high-noise-cfg-scale", "--high-noise-img-cfg-scale",
  "--high-noise-guidance", "--high-noise-slg-scale", "--high-noise-skip-layer-start", "--high-noise-skip-layer-end",
  "--high-noise-eta", "--strength", "--pm-style-strength", "--pulid-id-weight", "--control-strength",
  "--ip-adapter-strength", "--moe-boundary", "--vace-strength", "--vae-tile-overlap", "--hires-scale",
  "--hires-denoising-strength", "-s|--seed", "--sampling-method", "--high-noise-sampling-method", "--scheduler",
  "--sigmas", "--hires-sigmas", "--skip-layers", "--high-noise-skip-layers", "-r|--ref-image", "--ref-video",
  "--ref-video-audio", "--ref-audio", "--cache-mode", "--cache-option", "--scm-mask", "--scm-policy",
  "--vae-tile-size", "--vae-relative-tile-size", "--prompt-file", "--negative-prompt-file",
];

/** Switches without a value. */
const BOOL_FLAGS = [
  "-v|--verbose", "--color", "-h|--help", "--stream-layers", "--eager-load", "--auto-fit",
  "--force-sdxl-vae-conv-scale", "--offload-to-cpu", "--mmap", "--control-net-cpu", "--clip-on-cpu",
  "--vae-on-cpu", "--fa", "--diffusion-fa", "--diffusion-conv-direct", "--vae-conv-direct", "--list-devices",
  "--increase-ref-index", "--disable-auto-resize-ref-image", "--circular", "--circularx", "--circulary",
  "--disable-image-metadata", "--vae-tiling", "--temporal-tiling", "--hires",
];

function table(list: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of list) {
    const names = entry.split("|");
    const long = names[names.length - 1]!;
    for (const n of names) map.set(n, long);
  }
  return map;
}

const valueFlags = table(VALUE_FLAGS);
const boolFlags = table(BOOL_FLAGS);

/** Parsed flags by long name; repeated value flags keep every value. */
export type ParsedArgs = Map<string, string[]>;

export class ArgError extends Error {}

export function parseArgs(argv: string[]): ParsedArgs {
  const out: ParsedArgs = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const valueName = valueFlags.get(arg);
    if (valueName) {
      const value = argv[++i];
      if (value === undefined) throw new ArgError(`error: invalid parameter for argument: ${arg}`);
      out.set(valueName, [...(out.get(valueName) ?? []), value]);
      continue;
    }
    const boolName = boolFlags.get(arg);
    if (boolName) {
      out.set(boolName, ["true"]);
      continue;
    }
    throw new ArgError(`error: unknown argument: ${arg}`);
  }
  return out;
}

export const flag = (args: ParsedArgs, name: string): string | undefined => args.get(name)?.at(-1);
export const has = (args: ParsedArgs, name: string): boolean => args.has(name);
