/**
 * Which starter catalogue entry provides a companion a diffusion-only model
 * needs (the hook GET /api/models/companions asks): the entry of the same
 * family with a file in the role's slot. Pure.
 */
import type { CatalogEntry, CatalogFile } from "./catalog";

/** Whether a catalogue file fills a companion role (vae, clip_l, clip_g, t5xxl, llm). */
export function fillsRole(f: CatalogFile, role: string): boolean {
  if (role === "vae") return f.kind === "vae";
  if (f.kind !== "text_encoders") return false;
  const name = f.name.toLowerCase();
  if (role === "clip_l") return name.includes("clip_l");
  if (role === "clip_g") return name.includes("clip_g");
  if (role === "t5xxl") return name.includes("t5");
  if (role === "llm") return !/clip_[lg]|t5/.test(name);
  return false;
}

export function catalogCompanion(entries: CatalogEntry[]): (family: string, role: string) => string | null {
  return (family, role) => entries.find((e) => e.family === family && e.files.some((f) => fillsRole(f, role)))?.id ?? null;
}
