/**
 * Which model folder layout a folder has, and which of its sub-folders hold
 * each of our kinds. Pure: it takes folder names, the caller lists them.
 * Layouts: our own (ED4), Easy Diffusion 3, AUTOMATIC1111/Forge and ComfyUI.
 * The user may give the tree root (the folder holding `models/`) or the
 * `models/` folder itself; A1111 keeps `embeddings/` at the tree root.
 */
import { MODEL_KINDS, type ModelKind } from "../core/paths";
import type { Layout } from "./entry";

/** Folder names per kind, in search order. "^" marks a folder at the tree root rather than in models/. */
const FOLDERS: Record<Layout, Record<ModelKind, string[]>> = {
  app: Object.fromEntries(MODEL_KINDS.map((k) => [k, [k]])) as Record<ModelKind, string[]>,
  ed3: {
    "stable-diffusion": ["stable-diffusion"],
    diffusion_models: ["diffusion_models"],
    text_encoders: ["text_encoders"],
    vae: ["vae"],
    lora: ["lora"],
    embeddings: ["embeddings"],
    controlnet: ["controlnet"],
    realesrgan: ["realesrgan"],
    taesd: [],
    clip_vision: [],
    animatediff: [],
  },
  a1111: {
    "stable-diffusion": ["Stable-diffusion"],
    diffusion_models: ["unet", "diffusion_models", "Unet"],
    text_encoders: ["text_encoder", "text_encoders", "clip", "CLIP"],
    vae: ["VAE"],
    lora: ["Lora", "LyCORIS"],
    embeddings: ["^embeddings", "embeddings"],
    controlnet: ["ControlNet"],
    realesrgan: ["ESRGAN", "RealESRGAN"],
    taesd: ["VAE-approx"],
    clip_vision: [],
    animatediff: [],
  },
  comfyui: {
    "stable-diffusion": ["checkpoints"],
    diffusion_models: ["diffusion_models", "unet"],
    text_encoders: ["text_encoders", "clip"],
    vae: ["vae"],
    lora: ["loras"],
    embeddings: ["embeddings"],
    controlnet: ["controlnet"],
    realesrgan: ["upscale_models"],
    taesd: ["vae_approx"],
    clip_vision: ["clip_vision"],
    animatediff: [],
  },
};

/** Folders only one layout has (exact case first: A1111's "Stable-diffusion" vs ED's "stable-diffusion"). */
const SIGNS: [Layout, string[]][] = [
  ["comfyui", ["checkpoints", "loras", "upscale_models", "vae_approx", "clip_vision"]],
  ["a1111", ["Stable-diffusion", "Lora", "ESRGAN", "VAE-approx", "LyCORIS", "VAE"]],
  ["ed3", ["hypernetwork", "gfpgan", "codeformer"]],
  ["app", ["diffusion_models", "text_encoders", "stable-diffusion", "lora", "vae"]],
];

export interface RecognisedLayout {
  layout: Layout;
  /** Where the models/ folder is, relative to the folder given: "models" or "". */
  modelsDir: string;
  /** Per kind, folder paths relative to the folder given (forward slashes), only those that exist. */
  folders: Record<ModelKind, string[]>;
}

/**
 * Recognises a layout from the sub-folder names of the folder given, of its
 * `models/` child (null when there is none) and of its parent (for A1111's
 * tree-root embeddings when the models/ folder itself was given; null if unknown).
 * Returns null when none of the known folders is there.
 */
export function recogniseLayout(given: string[], modelsChild: string[] | null, parent: string[] | null = null): RecognisedLayout | null {
  const inModels = modelsChild ?? given;
  const modelsDir = modelsChild ? "models" : "";
  const treeNames = modelsChild ? given : parent ?? [];
  const treePrefix = modelsChild ? "" : "../";
  const layout = detect(inModels);
  if (!layout) return null;
  const lookup = (names: string[], want: string) => names.find((n) => n === want) ?? names.find((n) => n.toLowerCase() === want.toLowerCase());
  const folders = {} as Record<ModelKind, string[]>;
  for (const kind of MODEL_KINDS) {
    const found: string[] = [];
    for (const wanted of FOLDERS[layout][kind]) {
      const atTree = wanted.startsWith("^");
      const name = lookup(atTree ? treeNames : inModels, atTree ? wanted.slice(1) : wanted);
      if (!name) continue;
      const rel = atTree ? `${treePrefix}${name}` : modelsDir ? `${modelsDir}/${name}` : name;
      if (!found.includes(rel)) found.push(rel);
    }
    folders[kind] = found;
  }
  return { layout, modelsDir, folders };
}

function detect(names: string[]): Layout | null {
  for (const [layout, signs] of SIGNS) if (signs.some((s) => names.includes(s))) return layout;
  const lower = new Set(names.map((n) => n.toLowerCase()));
  for (const [layout, signs] of SIGNS) if (signs.some((s) => lower.has(s.toLowerCase()))) return layout;
  return null;
}
