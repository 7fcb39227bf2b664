/**
 * Which companion files a diffusion-only model needs, by family, and which
 * installed files fit each role. From stable-diffusion.cpp's docs/ (tag
 * master-827-97d2990): flux.md (--vae ae, --clip_l, --t5xxl), chroma.md
 * (--vae ae, --t5xxl), sd3.md (--clip_l, --clip_g, --t5xxl), z_image.md
 * (--vae ae, --llm Qwen3), qwen_image.md (--vae qwen_image_vae, --llm
 * Qwen2.5-VL), flux2.md (--vae flux2_ae, --llm Mistral-Small-3.2 or Qwen3 for
 * Klein), wan.md (--vae wan_2.1_vae, --t5xxl umt5), ovis_image.md (--vae ae,
 * --llm ovis_2.5). A UNet saved alone (SD1/SD2/SDXL) needs its VAE and CLIP.
 * Pure: the caller passes the installed entries and an optional catalog hook.
 */
import type { ModelKind } from "../core/paths";
import type { Identity, ModelEntry } from "./entry";

export type CompanionRole = "vae" | "clip_l" | "clip_g" | "t5xxl" | "llm";

interface RoleSpec {
  role: CompanionRole;
  /** VAE: latent families that fit; LLM/T5: encoder families that fit (empty = any). */
  fits: string[];
  /** Name fragments that make one installed file the suggestion. */
  prefer: RegExp;
}

const NEEDS: Record<string, RoleSpec[]> = {
  flux: [
    { role: "vae", fits: ["flux"], prefer: /\bae\b|flux/i },
    { role: "clip_l", fits: [], prefer: /clip_l/i },
    { role: "t5xxl", fits: ["t5"], prefer: /t5xxl/i },
  ],
  chroma: [
    { role: "vae", fits: ["flux"], prefer: /\bae\b|flux/i },
    { role: "t5xxl", fits: ["t5"], prefer: /t5xxl/i },
  ],
  sd3: [
    { role: "clip_l", fits: [], prefer: /clip_l/i },
    { role: "clip_g", fits: [], prefer: /clip_g/i },
    { role: "t5xxl", fits: ["t5"], prefer: /t5xxl/i },
  ],
  "z-image": [
    { role: "vae", fits: ["flux"], prefer: /\bae\b|flux/i },
    { role: "llm", fits: ["qwen3"], prefer: /qwen.?3/i },
  ],
  "qwen-image": [
    { role: "vae", fits: ["wan"], prefer: /qwen/i },
    { role: "llm", fits: ["qwen2.5-vl", "qwen2vl", "qwen25vl"], prefer: /qwen.?2\.?5.?vl/i },
  ],
  flux2: [
    { role: "vae", fits: ["flux2"], prefer: /flux2/i },
    { role: "llm", fits: ["mistral3", "llama", "qwen3", "mistral"], prefer: /mistral|qwen.?3/i },
  ],
  wan: [
    { role: "vae", fits: ["wan"], prefer: /wan/i },
    { role: "t5xxl", fits: ["umt5", "t5"], prefer: /umt5/i },
  ],
  ovis: [
    { role: "vae", fits: ["flux"], prefer: /\bae\b/i },
    { role: "llm", fits: [], prefer: /ovis/i },
  ],
  sd1: [
    { role: "vae", fits: ["sd"], prefer: /vae/i },
    { role: "clip_l", fits: [], prefer: /clip_l/i },
  ],
  sd2: [{ role: "vae", fits: ["sd"], prefer: /vae/i }],
  sdxl: [
    { role: "vae", fits: ["sd"], prefer: /sdxl/i },
    { role: "clip_l", fits: [], prefer: /clip_l/i },
    { role: "clip_g", fits: [], prefer: /clip_g/i },
  ],
};

/**
 * The roles a model needs beside itself: all of its family's for a diffusion-only model; for a
 * checkpoint, those of the parts it lacks (an SD3 checkpoint without text encoders); [] otherwise.
 */
export function needsOf(identity: Pick<Identity, "detected" | "family" | "bundled">): CompanionRole[] {
  if (!identity.family) return [];
  const roles = (NEEDS[identity.family] ?? []).map((s) => s.role);
  if (identity.detected === "diffusion_model") return roles;
  if (identity.detected !== "checkpoint" || !identity.bundled) return [];
  const { vae, textEncoders } = identity.bundled;
  return roles.filter((r) => (r === "vae" ? !vae : !textEncoders));
}

export interface CompanionNeed {
  role: CompanionRole;
  kind: ModelKind;
  installed: string[];
  suggested: string | null;
  catalog: string | null;
}

/** The installed (usable) files that fit each role of this family, the best one suggested; `catalog` from the injected hook. */
export function companionsFor(
  family: string | null,
  entries: ModelEntry[],
  catalog: (family: string, role: CompanionRole) => string | null = () => null,
): CompanionNeed[] {
  if (!family) return [];
  return (NEEDS[family] ?? []).map((spec) => {
    const kind: ModelKind = spec.role === "vae" ? "vae" : "text_encoders";
    const fits = entries.filter((e) => {
      if (e.kind !== kind || !e.usable) return false;
      if (spec.role === "vae") return !e.family || !spec.fits.length || spec.fits.includes(e.family);
      const encoder = e.encoder;
      if (encoder && encoder !== spec.role) return false;
      if (!encoder && !new RegExp(spec.role.replace("_", "[_-]?"), "i").test(e.name) && spec.role !== "llm") return false;
      return !spec.fits.length || !e.family || spec.fits.includes(e.family);
    });
    const installed = fits.map((e) => e.name);
    const suggested = fits.find((e) => spec.prefer.test(e.name))?.name ?? installed[0] ?? null;
    return { role: spec.role, kind, installed, suggested, catalog: catalog(family, spec.role) };
  });
}
