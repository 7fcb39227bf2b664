/**
 * The starter catalogue (catalog.yaml beside this file, embedded in the
 * executable as text), what it says about accounts (a source marked `gated`
 * needs a Hugging Face token and the licence accepted), and which entry to
 * recommend for this machine: a pure function of its GPU memory, system
 * memory, whether it has a GPU at all, and whether a token is set.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { MODEL_KINDS, modelDir, type Paths } from "../../core/paths";
import { VIDEO_FAMILIES } from "../../common/video-families";
import CATALOG_TEXT from "./catalog.yaml" with { type: "text" };

const bareUrl = z
  .string()
  .min(1)
  .transform((url) => ({ url, gated: false }));
const sourceSchema = z.union([bareUrl, z.object({ url: z.string().min(1), gated: z.boolean().default(false) })]);

const fileSchema = z
  .object({
    /** One source; `sources` lists several, tried in order. */
    url: z.string().min(1).optional(),
    sources: z.array(sourceSchema).min(1).optional(),
    kind: z.enum(MODEL_KINDS),
    name: z.string().regex(/^[\w.+-]+$/, "a plain file name"),
    /** Exact bytes when `sha256` is given (every source must serve exactly this file); else approximate, for display. */
    size: z.number().int().positive().optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  })
  .refine((f) => !!f.url !== !!f.sources, "give either url or sources")
  .transform(({ url, sources, ...f }) => {
    const all = sources ?? [{ url: url!, gated: false }];
    // `url` stays the first source, for readers that know one address per file.
    return { ...f, url: all[0]!.url, sources: all };
  });

export const catalogEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  family: z.string().min(1),
  description: z.string().min(1),
  licence: z.string().min(1),
  licenceUrl: z.string().min(1),
  memory: z.object({ vramGb: z.number().nonnegative(), ramGb: z.number().nonnegative() }),
  /** Knowingly needs a Hugging Face account (a file only a gated repository has): never a no-account starter. */
  needsAccount: z.boolean().default(false),
  /** A video model: its family (common/video-families.ts); the Video tab offers it, the picture starters do not. */
  videoFamily: z.enum(VIDEO_FAMILIES).optional(),
  files: z.array(fileSchema).min(1),
  set: z.object({ model: z.string(), vae: z.string().optional(), text_encoders: z.array(z.string()).default([]) }),
});
export const catalogSchema = z.object({ entries: z.array(catalogEntrySchema).min(1) });

export type CatalogEntry = z.infer<typeof catalogEntrySchema>;
export type CatalogFile = CatalogEntry["files"][number];
export type CatalogSource = CatalogFile["sources"][number];

/** The catalogue with `{hf}` replaced by the Hugging Face base in use. */
export function loadCatalog(text: string = CATALOG_TEXT, hfBase: string): CatalogEntry[] {
  const entries = catalogSchema.parse(parse(text)).entries;
  const fill = (s: string) => s.replaceAll("{hf}", hfBase);
  return entries.map((e) => ({
    ...e,
    licenceUrl: fill(e.licenceUrl),
    files: e.files.map((f) => ({ ...f, url: fill(f.url), sources: f.sources.map((s) => ({ ...s, url: fill(s.url) })) })),
  }));
}

export function installedFile(paths: Paths, f: CatalogFile): boolean {
  return existsSync(join(modelDir(paths, f.kind), f.name));
}

/** The files only a gated source has: they need a token and the licence accepted on the repository's page. */
export function gatedOnlyFiles(e: CatalogEntry): CatalogFile[] {
  return e.files.filter((f) => f.sources.every((s) => s.gated));
}

/** The page to accept a gated repository's licence on: the repository's own page (`…/owner/name`). */
export function repositoryPage(url: string): string {
  const at = url.indexOf("/resolve/");
  return at < 0 ? url : url.slice(0, at);
}

/** Where a source's bytes come from, in words: a Hugging Face repository (`owner/name`) or the host. */
export function sourceLabel(url: string): string {
  const u = new URL(url);
  const repo = /^\/([^/]+\/[^/]+)\/resolve\//.exec(u.pathname)?.[1];
  return repo ? decodeURIComponent(repo) : u.host;
}

/** Why a catalogue cannot ship: a file without an exact size and sha256, or a no-account entry with a gated-only file. Pure. */
export function catalogProblems(entries: CatalogEntry[]): string[] {
  const problems: string[] = [];
  for (const e of entries) {
    for (const f of e.files) {
      if (!f.sha256) problems.push(`${e.id}/${f.name}: no sha256 recorded`);
      if (!f.size) problems.push(`${e.id}/${f.name}: no exact size recorded`);
    }
    const gated = gatedOnlyFiles(e);
    if (!e.needsAccount && gated.length)
      problems.push(`${e.id}: offered without an account, but ${gated.map((f) => f.name).join(", ")} has only gated sources`);
    if (e.needsAccount && !gated.length) problems.push(`${e.id}: marked needsAccount, but every file has an open source`);
  }
  return problems;
}

export interface MachineMemory {
  /** A GPU the engine can use (CUDA, Vulkan, ROCm or Metal); false for the CPU build. */
  gpu: boolean;
  /** Its memory (Apple: the unified memory), 0 when unknown. */
  vramGb: number;
  ramGb: number;
}

/**
 * The one starter to suggest first, with why. Pure. Each machine class has
 * starters in order of preference; without a Hugging Face token, a starter
 * that needs an account is passed over for the next that downloads without one.
 */
export function recommend(entries: CatalogEntry[], m: MachineMemory, hasToken = false): { id: string; reason: string } {
  const tiers: [id: string, reason: string][] = [];
  const gb = m.vramGb;
  if (m.gpu && gb >= 12 && m.ramGb >= 24) tiers.push(["flux1-schnell-q4", `FLUX.1 schnell fits your ${gb} GB GPU and follows prompts best, in 4 steps`]);
  if (m.gpu && gb >= 8) tiers.push(["sdxl", `SDXL makes detailed 1024×1024 pictures with the ${gb} GB of your GPU`]);
  if (m.gpu && gb >= 4) tiers.push(["z-image-turbo-q3", `Z-Image Turbo (quantized) fits the ${gb} GB of your GPU and needs only 8 steps`]);
  tiers.push([
    "sd15",
    m.gpu && gb < 4
      ? `your GPU has ${gb} GB; SD 1.5 runs well in that`
      : m.gpu
        ? `SD 1.5 runs well on your ${gb} GB GPU`
        : "without a GPU, SD 1.5 is the model that makes pictures in reasonable time",
  ]);
  const open = (e: CatalogEntry) => hasToken || gatedOnlyFiles(e).length === 0;
  const passed: string[] = [];
  for (const [id, reason] of tiers) {
    const e = entries.find((x) => x.id === id);
    if (!e) continue;
    if (!open(e)) {
      passed.push(e.title);
      continue;
    }
    if (hasToken) return { id, reason };
    const why = passed.length ? `${passed.join(" and ")} needs a Hugging Face account and no token is set; ` : "";
    return { id, reason: `${why}${reason}; it downloads without a Hugging Face account` };
  }
  const first = entries.find(open) ?? entries[0]!;
  return {
    id: first.id,
    reason: open(first) && !hasToken ? "the first starter model that downloads without a Hugging Face account" : "the first starter model",
  };
}
