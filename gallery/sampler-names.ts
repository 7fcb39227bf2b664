/**
 * Sampler names other tools write (ComfyUI's `dpmpp_2m`, ED3's
 * `euler_a`/`dpmpp_2m`) → sd-server names, falling back to the A1111 reader.
 */
import type { Settings } from "../common/infotext-settings";
import { samplerFromText } from "../common/a1111-samplers";

const ALIASES: Record<string, NonNullable<Settings["sampler"]>> = {
  euler: "euler",
  euler_ancestral: "euler_a",
  euler_a: "euler_a",
  heun: "heun",
  dpm_2: "dpm2",
  dpm2: "dpm2",
  dpmpp_2s_ancestral: "dpm++2s_a",
  dpmpp_2m: "dpm++2m",
  dpmpp_2m_sde: "dpm++2m_sde",
  lcm: "lcm",
  lms: "lms",
  ipndm: "ipndm",
  ddim: "ddim_trailing",
  res_multistep: "res_multistep",
  euler_cfg_pp: "euler_cfg_pp",
  euler_ancestral_cfg_pp: "euler_a_cfg_pp",
  er_sde: "er_sde",
};

export function samplerOf(name: string): Settings["sampler"] {
  return ALIASES[name.trim().toLowerCase()] ?? samplerFromText(name).sampler;
}
