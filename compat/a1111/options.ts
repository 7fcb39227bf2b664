/**
 * `GET/POST /sdapi/v1/options`. GET answers every standard A1111 option
 * (option-defaults.ts, from shared_options.py) with its value: what a client
 * stored, else A1111's default, with the ones this app decides filled in
 * (`sd_model_checkpoint`: the model API requests use; `samples_format`,
 * `jpeg_quality`, `samples_save` from our settings until a client sets them).
 * POST keeps standard keys only, so a client's read-modify-write round-trips
 * while the store stays bounded:
 * - `sd_model_checkpoint` switches the model API requests use (an unknown one
 *   fails with A1111's RuntimeError "model '…' not found", as a 400 where
 *   A1111 says 500: bad input is a 4xx in this app);
 * - unknown keys, values over MAX_VALUE_CHARS of JSON, and the options A1111
 *   itself does not let the API change (`restrict_api` in shared_options.py:
 *   api_enable_requests, api_forbid_local_requests, api_useragent;
 *   modules/options.py Options.set) are not kept and are named in the answer
 *   (`{ignored: {key: why}}`; A1111 answers null, as we do when all were kept).
 */
import { cachedSha256, checkpointFiles, currentCheckpoint, findCheckpoint, modelTitle, setCurrentCheckpoint } from "../checkpoints";
import type { CompatDeps } from "../deps";
import { a1111App, A1111RuntimeError, readA1111Json } from "./errors";
import { A1111_OPTION_DEFAULTS } from "./option-defaults";
import { optionsSchema } from "./schemas";
import { checkpointFile } from "../model-files";

const EXTRA_KEY = "compat.a1111_options";
/** Longest JSON of one kept value; A1111's longest defaults are a few dozen characters. */
export const MAX_VALUE_CHARS = 4096;
/** Keys named in an answer at most (a flood of unknown keys gets a count for the rest). */
const MAX_NAMED = 50;
const RESTRICTED = new Set(["api_enable_requests", "api_forbid_local_requests", "api_useragent"]);
const isStandard = (key: string) => Object.hasOwn(A1111_OPTION_DEFAULTS, key);

/** What clients stored, standard keys only (a store written before the filter keeps nothing else). */
function remembered(deps: CompatDeps): Record<string, unknown> {
  try {
    const stored = JSON.parse(deps.queue.store.setting(EXTRA_KEY) ?? "{}") as Record<string, unknown>;
    return Object.fromEntries(Object.entries(stored).filter(([k]) => isStandard(k) && k !== "sd_model_checkpoint"));
  } catch {
    return {};
  }
}

export function currentOptions(deps: CompatDeps): Record<string, unknown> {
  const files = checkpointFiles(deps.ctx);
  const current = currentCheckpoint(deps.queue, files);
  const path = current ? checkpointFile(deps.ctx, current) : null;
  const sha = path ? cachedSha256(deps.queue, path) : null;
  const outputs = deps.ctx.config.config.outputs;
  return {
    ...A1111_OPTION_DEFAULTS,
    samples_format: outputs.format,
    jpeg_quality: outputs.quality,
    samples_save: deps.ctx.config.config.api.keep_pictures,
    ...remembered(deps),
    sd_model_checkpoint: current ? modelTitle(current, sha ? sha.slice(0, 10) : null) : null,
    sd_checkpoint_hash: sha ?? "",
  };
}

/** Which keys of a POST are kept, and why the others are not. */
export function sortOptions(
  body: Record<string, unknown>,
  current: Record<string, unknown>,
): { kept: Record<string, unknown>; ignored: Record<string, string> } {
  const kept: Record<string, unknown> = {};
  const ignored: Record<string, string> = {};
  let extra = 0;
  const ignore = (key: string, why: string) => {
    if (Object.keys(ignored).length < MAX_NAMED) ignored[key.length > 100 ? `${key.slice(0, 100)}…` : key] = why;
    else extra++;
  };
  for (const [key, value] of Object.entries(body)) {
    if (key === "sd_model_checkpoint") continue;
    if (!isStandard(key)) ignore(key, "not an A1111 option");
    else if (RESTRICTED.has(key)) {
      // A read-modify-write sends them back unchanged: only a change is worth naming.
      if (JSON.stringify(value) !== JSON.stringify(current[key])) ignore(key, "A1111 does not let the API change it");
    }
    else if ((JSON.stringify(value) ?? "").length > MAX_VALUE_CHARS) ignore(key, `value longer than ${MAX_VALUE_CHARS} characters of JSON`);
    else kept[key] = value;
  }
  if (extra) ignored["…"] = `and ${extra} more keys`;
  return { kept, ignored };
}

export function optionsRoutes(deps: CompatDeps) {
  return a1111App()
    .get("/options", (c) => c.json(currentOptions(deps)))
    .post("/options", async (c) => {
      const body = await readA1111Json(c, optionsSchema);
      const checkpoint = body.sd_model_checkpoint;
      if (checkpoint !== undefined && checkpoint !== null) {
        const file = typeof checkpoint === "string" ? findCheckpoint(checkpointFiles(deps.ctx), checkpoint) : null;
        if (!file) throw new A1111RuntimeError(`model '${String(checkpoint)}' not found`);
        setCurrentCheckpoint(deps.queue, file);
      }
      const { kept, ignored } = sortOptions(body, currentOptions(deps));
      if (Object.keys(kept).length) deps.queue.store.setSetting(EXTRA_KEY, JSON.stringify({ ...remembered(deps), ...kept }));
      return c.json(Object.keys(ignored).length ? { ignored } : null);
    });
}
