/**
 * The Hugging Face and Civitai bases the net code talks to. Config
 * models.huggingface_base wins when the user set it; while it is the
 * default, the HF_ENDPOINT environment variable (as huggingface_hub reads
 * it, launcher/env.ts) replaces it. Pure.
 */
import type { Config } from "../launcher/config/schema";
import { HUGGINGFACE_DEFAULT_BASE } from "../launcher/config/schema";
import type { Env } from "../launcher/env";

const trim = (url: string) => url.replace(/\/+$/, "");

export function huggingfaceBase(models: Pick<Config["models"], "huggingface_base">, env?: Pick<Env, "hfEndpoint">): string {
  if (trim(models.huggingface_base) === HUGGINGFACE_DEFAULT_BASE && env?.hfEndpoint) return trim(env.hfEndpoint);
  return trim(models.huggingface_base);
}

export function civitaiBase(models: Pick<Config["models"], "civitai_base">): string {
  return trim(models.civitai_base);
}
