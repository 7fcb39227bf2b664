/**
 * Sampler and scheduler names: A1111/Forge display names ↔ sd-server names.
 * We write A1111 names so other tools understand our infotext, and read both.
 */
import { SAMPLERS, SCHEDULERS } from "./image-request";

type Sampler = (typeof SAMPLERS)[number];
type Scheduler = (typeof SCHEDULERS)[number];

export const A1111_SAMPLERS: [string, Sampler][] = [
  ["Euler a", "euler_a"],
  ["Euler", "euler"],
  ["Heun", "heun"],
  ["DPM2", "dpm2"],
  ["DPM++ 2S a", "dpm++2s_a"],
  ["DPM++ 2M", "dpm++2m"],
  ["DPM++ 2M SDE", "dpm++2m_sde"],
  ["LCM", "lcm"],
  ["DDIM", "ddim_trailing"],
  ["TCD", "tcd"],
  ["LMS", "lms"],
  ["IPNDM", "ipndm"],
  ["IPNDM_V", "ipndm_v"],
  ["Res Multistep", "res_multistep"],
  ["ER SDE", "er_sde"],
];

export const A1111_SCHEDULERS: [string, Scheduler][] = [
  ["Karras", "karras"],
  ["Exponential", "exponential"],
  ["SGM Uniform", "sgm_uniform"],
  ["Simple", "simple"],
  ["Normal", "normal"],
  ["Align Your Steps", "ays"],
  ["KL Optimal", "kl_optimal"],
  ["Beta", "beta"],
  ["Uniform", "discrete"],
];

export function samplerToA1111(name: Sampler): string {
  return A1111_SAMPLERS.find(([, s]) => s === name)?.[0] ?? name;
}

export function schedulerToA1111(name: Scheduler): string {
  return A1111_SCHEDULERS.find(([, s]) => s === name)?.[0] ?? name;
}

/**
 * Reads a sampler from infotext: an A1111 name ("DPM++ 2M"), an old-style
 * name with the schedule in it ("DPM++ 2M Karras"), or an sd-server name.
 */
export function samplerFromText(text: string): { sampler?: Sampler; scheduler?: Scheduler } {
  const t = text.trim();
  if ((SAMPLERS as readonly string[]).includes(t)) return { sampler: t as Sampler };
  const exact = A1111_SAMPLERS.find(([a]) => a.toLowerCase() === t.toLowerCase());
  if (exact) return { sampler: exact[1] };
  for (const [label, scheduler] of A1111_SCHEDULERS) {
    if (t.toLowerCase().endsWith(` ${label.toLowerCase()}`)) {
      const base = samplerFromText(t.slice(0, -label.length - 1));
      if (base.sampler) return { sampler: base.sampler, scheduler };
    }
  }
  return {};
}

export function schedulerFromText(text: string): Scheduler | undefined {
  const t = text.trim();
  if ((SCHEDULERS as readonly string[]).includes(t)) return t as Scheduler;
  return A1111_SCHEDULERS.find(([a]) => a.toLowerCase() === t.toLowerCase())?.[1];
}
