/**
 * The starter catalogue (catalog.yaml beside this file, embedded in the
 * executable as text) and which entry to recommend for this machine: a pure
 * function of its GPU memory, system memory and whether it has a GPU at all.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { MODEL_KINDS, modelDir, type Paths } from "../../launcher/paths";
import CATALOG_TEXT from "./catalog.yaml" with { type: "text" };

const fileSchema = z.object({
  url: z.string().min(1),
  kind: z.enum(MODEL_KINDS),
  name: z.string().regex(/^[\w.+-]+$/, "a plain file name"),
  /** Approximate, for display; the download checks the server's size. */
  size: z.number().int().positive().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

export const catalogEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  family: z.string().min(1),
  description: z.string().min(1),
  licence: z.string().min(1),
  licenceUrl: z.string().min(1),
  memory: z.object({ vramGb: z.number().nonnegative(), ramGb: z.number().nonnegative() }),
  files: z.array(fileSchema).min(1),
  set: z.object({ model: z.string(), vae: z.string().optional(), text_encoders: z.array(z.string()).default([]) }),
});
export const catalogSchema = z.object({ entries: z.array(catalogEntrySchema).min(1) });

export type CatalogEntry = z.infer<typeof catalogEntrySchema>;
export type CatalogFile = CatalogEntry["files"][number];

/** The catalogue with `{hf}` replaced by the Hugging Face base in use. */
export function loadCatalog(text: string = CATALOG_TEXT, hfBase: string): CatalogEntry[] {
  const entries = catalogSchema.parse(parse(text)).entries;
  const fill = (s: string) => s.replaceAll("{hf}", hfBase);
  return entries.map((e) => ({ ...e, licenceUrl: fill(e.licenceUrl), files: e.files.map((f) => ({ ...f, url: fill(f.url) })) }));
}

export function installedFile(paths: Paths, f: CatalogFile): boolean {
  return existsSync(join(modelDir(paths, f.kind), f.name));
}

export interface MachineMemory {
  /** A GPU the engine can use (CUDA, Vulkan, ROCm or Metal); false for the CPU build. */
  gpu: boolean;
  /** Its memory (Apple: the unified memory), 0 when unknown. */
  vramGb: number;
  ramGb: number;
}

/** The one starter to suggest first, with why. Pure. */
export function recommend(entries: CatalogEntry[], m: MachineMemory): { id: string; reason: string } {
  const has = (id: string) => entries.some((e) => e.id === id);
  const pick = (id: string, reason: string) => (has(id) ? { id, reason } : { id: entries[0]!.id, reason: "the first starter model" });
  if (!m.gpu || m.vramGb < 4) return pick("sd15", m.gpu ? `your GPU has ${m.vramGb} GB; SD 1.5 runs well in that` : "without a GPU, SD 1.5 is the model that makes pictures in reasonable time");
  if (m.vramGb < 8) return pick("z-image-turbo-q3", `Z-Image Turbo (quantized) fits the ${m.vramGb} GB of your GPU and needs only 8 steps`);
  if (m.vramGb < 12 || m.ramGb < 24) return pick("sdxl", `SDXL makes detailed 1024×1024 pictures with the ${m.vramGb} GB of your GPU`);
  return pick("flux1-schnell-q4", `FLUX.1 schnell fits your ${m.vramGb} GB GPU and follows prompts best, in 4 steps`);
}
