/**
 * A1111 "infotext": the `parameters` text A1111, Forge, civitai and many tools
 * read and write. Layout:
 *   prompt (may span lines, LoRAs as <lora:name:w> tags)
 *   Negative prompt: … (optional, may span lines)
 *   Steps: 20, Sampler: Euler a, …, Version: …  (last line, `key: value` pairs;
 *   values with `,` `:` or `"` are JSON-quoted)
 * sd.cpp appends `SDCPP: {json}` to the last line.
 */
import { withLoraTags } from "./lora-tags";
import type { ResolvedRequest } from "./image-request";
import { samplerToA1111, schedulerToA1111 } from "./a1111-samplers";
import { cacheText } from "./speed";

export interface InfotextExtras {
  /** A1111 short hash of the model file. */
  modelHash?: string;
  /** LoRA name → short hash. */
  loraHashes?: Record<string, string>;
  version: string;
}

/** A1111 quotes a value when it would break the `k: v, k: v` line. */
export function quote(value: string): string {
  return /[,:"\n]/.test(value) ? JSON.stringify(value) : value;
}

function stem(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.[^.]+$/, "");
}

const num = (n: number) => String(Number(n.toFixed(6)));

export function formatInfotext(r: ResolvedRequest, extras: InfotextExtras): string {
  const p: [string, string][] = [["Steps", String(r.steps)]];
  if (r.sampler) p.push(["Sampler", samplerToA1111(r.sampler)]);
  if (r.scheduler) p.push(["Schedule type", schedulerToA1111(r.scheduler)]);
  p.push(["CFG scale", num(r.cfg_scale)]);
  if (r.guidance !== undefined) p.push(["Distilled CFG Scale", num(r.guidance)]);
  p.push(["Seed", String(r.seed)], ["Size", `${r.width}x${r.height}`]);
  // A1111's Extras tab writes these for an upscaled picture.
  if (r.upscaled) p.push(["Postprocess upscale by", String(r.upscaled.factor)], ["Postprocess upscaler", r.upscaled.model]);
  if (extras.modelHash) p.push(["Model hash", extras.modelHash]);
  p.push(["Model", stem(r.model)]);
  if (r.vae) p.push(["VAE", r.vae.split(/[\\/]/).pop()!]);
  if (r.init_image) p.push(["Denoising strength", num(r.strength)]);
  else if (r.hires) p.push(["Denoising strength", num(r.hires.denoising_strength)]);
  if (r.clip_skip !== undefined) p.push(["Clip skip", String(r.clip_skip)]);
  if (r.hires) {
    if (r.hires.width && r.hires.height) p.push(["Hires resize", `${r.hires.width}x${r.hires.height}`]);
    else p.push(["Hires upscale", num(r.hires.scale)]);
    if (r.hires.steps) p.push(["Hires steps", String(r.hires.steps)]);
    p.push(["Hires upscaler", r.hires.upscaler]);
  }
  // A1111's "Tiling: True"; "Tiling: x"/"y" when only one axis wraps.
  if (r.tiling && r.tiling !== "none") p.push(["Tiling", r.tiling === "xy" ? "True" : r.tiling]);
  // Easy Diffusion's own keys: the Speed asked for and the step caching that ran (A1111 tools keep unknown keys).
  if (r.speed && r.speed !== "quality") p.push(["Speed", r.speed]);
  if (r.cache && r.cache.mode !== "disabled") p.push(["Cache", cacheText(r.cache)]);
  if (r.cache?.reused) p.push(["Cache reused", r.cache.reused]);
  const loraHashes = r.loras.filter((l) => extras.loraHashes?.[l.name]).map((l) => `${stem(l.name)}: ${extras.loraHashes![l.name]}`);
  if (loraHashes.length) p.push(["Lora hashes", loraHashes.join(", ")]);
  // Made by another computer working for this one (workers/): its name here.
  if (r.worker) p.push(["Worker", r.worker]);
  p.push(["Version", extras.version]);

  const lines = [withLoraTags(r.prompt, r.loras.map((l) => ({ name: stem(l.name), weight: l.weight })))];
  if (r.negative_prompt) lines.push(`Negative prompt: ${r.negative_prompt}`);
  lines.push(p.map(([k, v]) => `${k}: ${quote(v)}`).join(", "));
  return lines.join("\n");
}

export interface ParsedInfotext {
  prompt: string;
  negative_prompt: string;
  /** The last line's `key: value` pairs, unquoted. */
  params: Record<string, string>;
  /** sd.cpp's trailing `SDCPP: {json}`, parsed. */
  sdcpp?: Record<string, unknown>;
}

const PARAM = /\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)/g;

function unquote(v: string): string {
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) {
    try {
      return JSON.parse(v);
    } catch {
      return v.slice(1, -1);
    }
  }
  return v;
}

/** Splits infotext into prompt, negative prompt and the parameter line (A1111's own rules). */
export function parseInfotext(text: string): ParsedInfotext {
  const lines = text.trim().replace(/\r\n/g, "\n").split("\n");
  let last = lines.length > 1 || /Steps: \d/.test(lines[0] ?? "") ? lines.pop()! : "";
  let sdcpp: Record<string, unknown> | undefined;
  const at = last.indexOf("SDCPP: {");
  if (at >= 0) {
    try {
      sdcpp = JSON.parse(last.slice(at + 7));
      last = last.slice(0, at).replace(/,\s*$/, "");
    } catch {
      // Not valid JSON: leave the line as it is.
    }
  }
  const params: Record<string, string> = {};
  const found = [...last.matchAll(PARAM)];
  if (found.length < 3 && !sdcpp) {
    lines.push(last);
  } else {
    for (const m of found) params[m[1]!.trim()] = unquote(m[2]!.trim());
  }
  let prompt = "";
  let negative = "";
  let inNegative = false;
  for (let line of lines) {
    if (line.startsWith("Negative prompt:")) {
      inNegative = true;
      line = line.slice(16).trim();
    }
    if (inNegative) negative += (negative ? "\n" : "") + line;
    else prompt += (prompt ? "\n" : "") + line;
  }
  return { prompt: prompt.trim(), negative_prompt: negative.trim(), params, ...(sdcpp ? { sdcpp } : {}) };
}
