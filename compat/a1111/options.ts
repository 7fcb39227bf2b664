/**
 * `GET/POST /sdapi/v1/options`: the few A1111 options that mean something
 * here. `sd_model_checkpoint` switches the model API requests use (an
 * unknown one fails with A1111's body, RuntimeError "model '…' not found", as
 * a 400 where A1111 says 500: bad input is a 4xx in this app);
 * other keys are remembered and echoed back so clients that save and restore
 * options keep working.
 */
import { cachedSha256, checkpointFiles, currentCheckpoint, findCheckpoint, modelTitle, setCurrentCheckpoint } from "../checkpoints";
import type { CompatDeps } from "../deps";
import { a1111App, A1111RuntimeError, readA1111Json } from "./errors";
import { optionsSchema } from "./schemas";
import { checkpointFile } from "../model-files";

const EXTRA_KEY = "compat.a1111_options";

function remembered(deps: CompatDeps): Record<string, unknown> {
  try {
    return JSON.parse(deps.queue.store.setting(EXTRA_KEY) ?? "{}");
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
    sd_vae: "Automatic",
    CLIP_stop_at_last_layers: 1,
    ...remembered(deps),
    sd_model_checkpoint: current ? modelTitle(current, sha ? sha.slice(0, 10) : null) : null,
    samples_format: outputs.format,
    jpeg_quality: outputs.quality,
    samples_save: deps.ctx.config.config.api.keep_pictures,
  };
}

export function optionsRoutes(deps: CompatDeps) {
  return a1111App()
    .get("/options", (c) => c.json(currentOptions(deps)))
    .post("/options", async (c) => {
      const body = await readA1111Json(c, optionsSchema);
      const { sd_model_checkpoint: checkpoint, samples_format: _f, jpeg_quality: _q, samples_save: _s, ...rest } = body;
      if (checkpoint !== undefined && checkpoint !== null) {
        const file = typeof checkpoint === "string" ? findCheckpoint(checkpointFiles(deps.ctx), checkpoint) : null;
        if (!file) throw new A1111RuntimeError(`model '${String(checkpoint)}' not found`);
        setCurrentCheckpoint(deps.queue, file);
      }
      if (Object.keys(rest).length) deps.queue.store.setSetting(EXTRA_KEY, JSON.stringify({ ...remembered(deps), ...rest }));
      return c.json(null);
    });
}
