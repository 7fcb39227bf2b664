/**
 * Easy Diffusion 3 wrote each picture's settings next to it, as
 * `<name>.txt` ("Prompt: …" lines, human key names) or `<name>.json` (its
 * task keys), and optionally as one PNG text chunk per key. This maps
 * either form onto our request fields; unknown keys are left out.
 */
import type { LoraRef } from "../common/lora-tags";
import type { Settings } from "../common/infotext-settings";
import { samplerOf } from "./sampler-names";

/** ED3's .txt names → its task keys. */
const TEXT_KEYS: Record<string, string> = {
  prompt: "prompt",
  "negative prompt": "negative_prompt",
  seed: "seed",
  "stable diffusion model": "use_stable_diffusion_model",
  "clip skip": "clip_skip",
  "vae model": "use_vae_model",
  sampler: "sampler_name",
  width: "width",
  height: "height",
  steps: "num_inference_steps",
  "guidance scale": "guidance_scale",
  "prompt strength": "prompt_strength",
  "lora model": "use_lora_model",
  "lora strength": "lora_alpha",
};

/** Parses an ED3 .txt sidecar into its task keys. Other lines continue the prompt or negative prompt before them; elsewhere they are ignored. */
export function parseEd3Text(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.replace(/\r\n/g, "\n").split("\n")) {
    const m = /^([A-Za-z][A-Za-z ]*?):\s?(.*)$/.exec(line);
    const key = m ? TEXT_KEYS[m[1]!.trim().toLowerCase()] : undefined;
    if (key) {
      out[key] = m![2]!;
      last = key;
    } else if ((last === "prompt" || last === "negative_prompt") && line.trim()) out[last] += `\n${line}`;
  }
  return out;
}

const number = (v: unknown): number | undefined => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};
const text = (v: unknown) => (typeof v === "string" && v.trim() && v !== "None" ? v.trim() : undefined);
const list = (v: unknown): unknown[] => {
  if (Array.isArray(v)) return v;
  if (typeof v === "string" && v.trim().startsWith("[")) {
    try {
      const parsed = JSON.parse(v.replace(/'/g, '"'));
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // fall through: one value
    }
  }
  return v === undefined || v === null || v === "" ? [] : [v];
};

/** ED3 keys from a record that may use its task keys or its human names (its PNG text chunks use either). */
export function ed3Keys(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) out[TEXT_KEYS[k.trim().toLowerCase()] ?? k] = v;
  return out;
}

/** True when a key set looks like ED3's (so a random JSON next to a picture is not taken for settings). */
export function looksLikeEd3(keys: Record<string, unknown>): boolean {
  return "use_stable_diffusion_model" in keys || ("prompt" in keys && ("num_inference_steps" in keys || "guidance_scale" in keys));
}

/** ED3 task keys → our settings. */
export function ed3ToSettings(d: Record<string, unknown>): Settings {
  const model = text(d.use_stable_diffusion_model);
  const loraNames = list(d.use_lora_model).map(text).filter((n): n is string => !!n);
  const weights = list(d.lora_alpha).map(number);
  const loras: LoraRef[] = loraNames.map((name, i) => ({ name, weight: weights[i] ?? weights[0] ?? 1 }));
  const clip = d.clip_skip;
  const s: Record<string, unknown> = {
    prompt: typeof d.prompt === "string" ? d.prompt : undefined,
    negative_prompt: typeof d.negative_prompt === "string" ? d.negative_prompt : undefined,
    seed: number(d.seed),
    width: number(d.width),
    height: number(d.height),
    steps: number(d.num_inference_steps),
    cfg_scale: number(d.guidance_scale),
    sampler: text(d.sampler_name) ? samplerOf(text(d.sampler_name)!) : undefined,
    model,
    vae: text(d.use_vae_model),
    clip_skip: clip === true || clip === "True" ? 2 : undefined,
  };
  if (loras.length) s.loras = loras;
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as Settings;
}
