/**
 * The Hugging Face and Civitai bases the net code talks to. Config
 * models.huggingface_base wins when the user set it; while it is the
 * default, the HF_ENDPOINT environment variable (as huggingface_hub reads
 * it, core/env.ts) replaces it. Pure.
 */
import type { Config } from "../core/config/schema";
import { HUGGINGFACE_DEFAULT_BASE } from "../core/config/schema";
import type { Env } from "../core/env";

const trim = (url: string) => url.replace(/\/+$/, "");

export function huggingfaceBase(models: Pick<Config["models"], "huggingface_base">, env?: Pick<Env, "hfEndpoint">): string {
  if (trim(models.huggingface_base) === HUGGINGFACE_DEFAULT_BASE && env?.hfEndpoint) return trim(env.hfEndpoint);
  return trim(models.huggingface_base);
}

export function civitaiBase(models: Pick<Config["models"], "civitai_base">): string {
  return trim(models.civitai_base);
}
