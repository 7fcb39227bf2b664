/**
 * A1111 samplers the engine has no equivalent of, and the engine sampler run
 * instead (with a note in `info`). The names and aliases are A1111's
 * (modules/sd_samplers_kdiffusion.py samplers_k_diffusion,
 * sd_samplers_timesteps.py samplers_timesteps, sd_samplers_lcm.py); the ones
 * with an equivalent are in queue/metadata/samplers.ts and listed by
 * /sdapi/v1/samplers, which keeps listing only what really runs.
 */
import type { SAMPLERS } from "../../common/image-request";

type Sampler = (typeof SAMPLERS)[number];

/** [A1111 name, its aliases, the nearest engine sampler, why]. */
export const SAMPLER_FALLBACKS: [string, string[], Sampler, string][] = [
  ["DPM++ SDE", ["k_dpmpp_sde"], "dpm++2s_a", "a second-order single-step solver with noise, like DPM++ SDE"],
  ["DPM++ 2M SDE Heun", ["k_dpmpp_2m_sde_heun"], "dpm++2m_sde", "the same multistep SDE solver with the midpoint instead of the Heun update"],
  ["DPM++ 3M SDE", ["k_dpmpp_3m_sde"], "dpm++2m_sde", "the second-order member of the same multistep SDE family"],
  ["DPM2 a", ["k_dpm_2_a"], "dpm2", "the same solver without the ancestral noise"],
  ["DPM fast", ["k_dpm_fast"], "dpm++2m", "a DPM-Solver of fixed order instead of the fast adaptive-order one"],
  ["DPM adaptive", ["k_dpm_ad"], "dpm++2m", "a DPM-Solver with fixed steps instead of adaptive step sizes"],
  ["Restart", ["restart"], "heun", "the Heun steps Restart is built on, without the restart intervals"],
  ["DDIM CFG++", ["ddim_cfgpp"], "euler_cfg_pp", "the deterministic first-order step with CFG++ guidance"],
  ["PLMS", ["plms"], "ipndm", "the improved pseudo-numerical (linear multistep) method PLMS belongs to"],
  ["UniPC", ["unipc"], "dpm++2m", "a multistep solver of the DPM-Solver family UniPC extends"],
];

/** A1111's aliases of the samplers that have an engine equivalent (their names are in A1111_SAMPLERS). */
export const A1111_ALIASES: [string, Sampler][] = [
  ["k_dpmpp_2m", "dpm++2m"], ["k_dpmpp_2m_sde", "dpm++2m_sde"], ["k_dpmpp_2s_a", "dpm++2s_a"], ["k_euler_a", "euler_a"],
  ["k_euler_ancestral", "euler_a"], ["k_euler", "euler"], ["k_lms", "lms"], ["k_heun", "heun"], ["k_dpm_2", "dpm2"],
  ["ddim", "ddim_trailing"], ["k_lcm", "lcm"],
];

/** The engine sampler for an A1111 name or alias without an equivalent, with the sentence for `info`. */
export function samplerFallback(name: string): { sampler: Sampler; note: string } | null {
  const n = name.trim().toLowerCase();
  const alias = A1111_ALIASES.find(([a]) => a === n);
  if (alias) return { sampler: alias[1], note: "" };
  const f = SAMPLER_FALLBACKS.find(([a1111, aliases]) => a1111.toLowerCase() === n || aliases.includes(n));
  if (!f) return null;
  return { sampler: f[2], note: `sampler ${JSON.stringify(f[0])} is not in the engine; ${f[2]} ran instead (${f[3]})` };
}
