/**
 * `bun run catalog:check`: before a release, asks every source of every
 * starter file (models/net/catalog.yaml) whether it still serves exactly the
 * recorded file, without a token and with the configured one, and prints one
 * line per answer; exits 1 on any mismatch. Needs the internet (not part of
 * `bun run test`). The Hugging Face base and token are the app's configured
 * ones (config.yaml models.huggingface_base / huggingface_token, HF_ENDPOINT,
 * HF_TOKEN); flags override them:
 *   --base URL      Hugging Face base ({hf} in the catalogue)
 *   --token T       Hugging Face token ("" for none)
 *   --config FILE   the config.yaml to read (default: the app's)
 *   --catalog FILE  another catalogue YAML (default: the shipped one)
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { validateConfig } from "../core/config/store";
import { readEnv } from "../core/env";
import { resolvePaths } from "../core/paths";
import { huggingfaceBase } from "../models/hosts";
import { catalogProblems, loadCatalog } from "../models/net/catalog";
import { checkCatalog, checkLine } from "../models/net/catalog-check";

const { values } = parseArgs({
  options: { base: { type: "string" }, token: { type: "string" }, config: { type: "string" }, catalog: { type: "string" } },
  strict: true,
});
const env = readEnv();
const configFile = values.config ?? resolvePaths(env).config;
const models = validateConfig(existsSync(configFile) ? parse(readFileSync(configFile, "utf8")) : {}, configFile).config.models;
const base = (values.base ?? huggingfaceBase(models, env)).replace(/\/+$/, "");
const token = values.token ?? (models.huggingface_token || env.hfToken || "");
const entries = loadCatalog(values.catalog ? readFileSync(values.catalog, "utf8") : undefined, base);

const tokens = token ? "without and with the token" : "without a token (none configured: gated sources are checked only for their refusal)";
console.log(`catalog:check against ${base}, ${tokens}`);
const recorded = catalogProblems(entries);
for (const p of recorded) console.log(`MISMATCH ${p}`);
const results = await checkCatalog(entries, { token, onResult: (r) => console.log(checkLine(r)) });
const bad = results.filter((r) => !r.ok).length + recorded.length;
console.log(bad ? `${bad} mismatch${bad > 1 ? "es" : ""}` : `all ${results.length} answers match the catalogue`);
process.exit(bad ? 1 : 0);
