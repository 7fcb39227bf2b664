/**
 * A picture's settings as a readable list of label → value for the viewer.
 * How it was made comes first when the picture says ("img2img · strength
 * 0.75"); a text-to-image picture shows no denoising strength.
 */
const LABELS: [string, string][] = [
  ["model", "Model"],
  ["vae", "VAE"],
  ["seed", "Seed"],
  ["width", "Width"],
  ["height", "Height"],
  ["steps", "Steps"],
  ["sampler", "Sampler"],
  ["scheduler", "Scheduler"],
  ["cfg_scale", "CFG scale"],
  ["guidance", "Guidance"],
  ["clip_skip", "Clip skip"],
  ["strength", "Denoising strength"],
  ["output_format", "Format"],
];

export function settingsList(settings: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  const mode = settings.mode;
  const strength = typeof settings.strength === "number" ? ` · strength ${settings.strength}` : "";
  if (mode === "img2img" || mode === "inpaint") out.push(["Made as", `${mode}${strength}`]);
  else if (mode === "txt2img") out.push(["Made as", "txt2img (from the prompt alone)"]);
  for (const [key, label] of LABELS) {
    // Pictures that say how they were made: the strength is above (img2img) or means nothing (txt2img).
    if (key === "strength" && mode !== undefined) continue;
    const v = settings[key];
    if (v !== undefined && v !== null && v !== "") out.push([label, String(v)]);
  }
  const loras = settings.loras;
  if (Array.isArray(loras) && loras.length)
    out.push(["LoRA", loras.map((l: { name?: string; weight?: number }) => `${String(l.name ?? "").split(/[\\/]/).pop()} (${l.weight ?? 1})`).join(", ")]);
  const hires = settings.hires as Record<string, unknown> | undefined;
  if (hires && typeof hires === "object") out.push(["Hires fix", Object.entries(hires).map(([k, v]) => `${k} ${v}`).join(", ")]);
  return out;
}
