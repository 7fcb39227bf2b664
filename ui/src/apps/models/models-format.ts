/**
 * How the Model Browser reads: kind and family names, one line of facts per
 * entry, filtering and sorting the installed list, and API errors as
 * sentences (401/403 → a token or licence acceptance is needed). Pure
 * functions, tested without a browser.
 */
import { ApiFailure } from "../../api/http";
import { formatBytes } from "../downloads/download-format";
import type { ImageSettings } from "../image/image-settings";
import type { Companions, LastUsed, ModelEntry, ModelListing } from "./models-api";

export { formatBytes };

/** Kind folders in the order the Installed view shows them, with their headings. */
export const KIND_TITLES: Record<string, string> = {
  "stable-diffusion": "Checkpoints",
  diffusion_models: "Diffusion models",
  vae: "VAEs",
  text_encoders: "Text encoders",
  lora: "LoRAs",
  embeddings: "Embeddings",
  controlnet: "ControlNets",
  realesrgan: "Upscalers",
  taesd: "TAESD",
};

export function kindTitle(kind: string): string {
  return KIND_TITLES[kind] ?? kind;
}

/** One of a kind: "LoRA", "Checkpoint" (search results, the type filter). */
export function kindName(kind: string): string {
  const title = kindTitle(kind);
  return title === "TAESD" ? title : title.replace(/s$/, "");
}

const FAMILY_NAMES: Record<string, string> = {
  sd1: "SD 1.x",
  sd2: "SD 2.x",
  sdxl: "SDXL",
  sd3: "SD3",
  flux: "Flux",
  flux2: "Flux.2",
  chroma: "Chroma",
  "z-image": "Z-Image",
  "qwen-image": "Qwen-Image",
  wan: "Wan",
  ovis: "Ovis",
  t5: "T5",
  umt5: "UMT5",
  sd: "SD latent",
};

export function familyName(family: string | null | undefined): string {
  if (!family) return "";
  return FAMILY_NAMES[family] ?? family;
}

/** "SDXL · 6.46 GB · f16 · 31e35c80fc" */
export function entryFacts(e: ModelEntry): string {
  return [familyName(e.family), formatBytes(e.size), e.precision ?? "", e.shortHash ?? ""].filter(Boolean).join(" · ");
}

export type SortKey = "name" | "size" | "newest" | "family";

/** Entries whose name, family, folder or Civitai name contain every word of `filter`, sorted. */
export function filterEntries(entries: ModelEntry[], filter: string, sort: SortKey = "name"): ModelEntry[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const text = (e: ModelEntry) =>
    [e.name, e.family ?? "", familyName(e.family), e.folder, e.precision ?? "", e.civitai?.name ?? "", e.usable ? "" : "unreadable"].join(" ").toLowerCase();
  const kept = entries.filter((e) => words.every((w) => text(e).includes(w)));
  const by: Record<SortKey, (a: ModelEntry, b: ModelEntry) => number> = {
    name: (a, b) => a.name.localeCompare(b.name),
    size: (a, b) => b.size - a.size || a.name.localeCompare(b.name),
    newest: (a, b) => b.mtime - a.mtime || a.name.localeCompare(b.name),
    family: (a, b) => familyName(a.family).localeCompare(familyName(b.family)) || a.name.localeCompare(b.name),
  };
  return kept.sort(by[sort]);
}

/** Entries grouped by kind, in KIND_TITLES order (unknown kinds last). */
export function groupByKind(entries: ModelEntry[]): [string, ModelEntry[]][] {
  const order = Object.keys(KIND_TITLES);
  const groups = new Map<string, ModelEntry[]>();
  for (const e of entries) groups.set(e.kind, [...(groups.get(e.kind) ?? []), e]);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return [...groups].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
}

/** Memory a catalog entry needs: "6 GB VRAM or 12 GB RAM". */
export function memoryText(m: { vramGb: number; ramGb: number } | undefined): string {
  if (!m) return "";
  return [m.vramGb ? `${m.vramGb} GB VRAM` : "", m.ramGb ? `${m.ramGb} GB RAM` : ""].filter(Boolean).join(" or ");
}

/** An API error as a sentence; 401/403 from a model host say a token or licence acceptance is needed. */
export function errorSentence(err: unknown): { text: string; needsToken: boolean } {
  if (err instanceof ApiFailure && (err.status === 401 || err.status === 403 || /^(unauthori[sz]ed|forbidden|needs_token|gated)/.test(err.code)))
    return { text: `This needs a token or licence acceptance: ${err.message}`, needsToken: true };
  return { text: err instanceof Error ? err.message : String(err), needsToken: false };
}

/** "1.2k" style counts for downloads and likes. */
export function countText(n: number | undefined): string {
  if (!n) return "0";
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/**
 * The model a fresh Image tab starts on: the last used one (with its VAE and
 * text encoders) when it is still usable, else the first usable checkpoint or
 * diffusion model; null when there is none (the first-run card shows then).
 */
export function startingModel(listing: { kinds: Partial<ModelListing["kinds"]>; lastUsed: ModelListing["lastUsed"] }): LastUsed | null {
  const usable = [...(listing.kinds["stable-diffusion"] ?? []), ...(listing.kinds.diffusion_models ?? [])];
  const last = listing.lastUsed;
  if (last && usable.includes(last.model)) {
    const vae = last.vae && (listing.kinds.vae ?? []).includes(last.vae) ? last.vae : "";
    const encoders = (last.text_encoders ?? []).filter((t) => (listing.kinds.text_encoders ?? []).includes(t));
    return { model: last.model, vae, text_encoders: encoders };
  }
  return usable[0] ? { model: usable[0], vae: "", text_encoders: [] } : null;
}

/** The companions to fill in: for each need the form does not already meet, the suggested or first installed file. */
export function companionPicks(c: Companions, s: Pick<ImageSettings, "vae" | "text_encoders">): Partial<ImageSettings> {
  const changes: Partial<ImageSettings> = {};
  const encoders = [...s.text_encoders];
  for (const need of c.needs) {
    const pick = need.suggested ?? need.installed[0];
    if (!pick) continue;
    if (need.role === "vae") {
      if (!need.installed.includes(s.vae)) changes.vae = pick;
    } else if (!need.installed.some((n) => encoders.includes(n))) encoders.push(pick);
  }
  if (encoders.length !== s.text_encoders.length) changes.text_encoders = encoders;
  return changes;
}
