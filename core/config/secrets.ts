/**
 * Settings that are secrets (JSON Schema `writeOnly` in schema.ts: the Hugging
 * Face and Civitai tokens) never leave the server in clear, not even to this
 * computer: GET /api/config shows SECRET_MASK for a set one and "" for an
 * unset one, and a PATCH that sends the mask back keeps the stored value.
 * Pure.
 */
import { z } from "zod";
import { configSchema, type Config, type ConfigPatch } from "./schema";

/** What a set secret reads as. Not a token any service issues. */
export const SECRET_MASK = "••••••••";

let secretKeys: [string, string][] | undefined;

/** [section, key] of every writeOnly setting, read from the schema so a new secret is masked too. */
export function secretSettings(): [string, string][] {
  secretKeys ??= Object.entries(configSchema.shape).flatMap(([section, shape]) =>
    Object.entries((shape as z.ZodObject).shape)
      .filter(([, field]) => (field as z.ZodType).meta()?.writeOnly === true)
      .map(([key]) => [section, key] as [string, string]),
  );
  return secretKeys;
}

/** The config as clients see it: each secret replaced by the mask when set. */
export function maskSecrets(config: Config): Config {
  const out = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
  for (const [section, key] of secretSettings()) if (out[section]?.[key]) out[section][key] = SECRET_MASK;
  return out as unknown as Config;
}

/** The patch without secrets sent back as the mask (the client did not change them). */
export function keepMaskedSecrets(patch: ConfigPatch): ConfigPatch {
  const out = structuredClone(patch) as Record<string, Record<string, unknown> | undefined>;
  for (const [section, key] of secretSettings()) {
    const s = out[section];
    if (s && s[key] === SECRET_MASK) {
      delete s[key];
      if (!Object.keys(s).length) delete out[section];
    }
  }
  return out as ConfigPatch;
}
