/**
 * Model lists in A1111's shapes: `GET sd-models` (title with the short hash,
 * model_name, hash, sha256, filename), `sd-vae`, `loras`, `upscalers`, and
 * `POST refresh-checkpoints` / `refresh-vae` (we list the folders on every
 * request, so there is nothing to refresh). Hashes are the cached ones; an
 * unhashed model is hashed in the background and shows null until then.
 */
import { join } from "node:path";
import { modelDir } from "../../launcher/paths";
import { listModels } from "../../queue/models";
import { HIRES_UPSCALERS } from "../../queue/request";
import { cachedSha256, checkpointFiles, modelStem, modelTitle } from "../checkpoints";
import type { CompatDeps } from "../deps";
import { a1111App } from "./errors";

/** The absolute path of a listed checkpoint (stable-diffusion first, as resolveModels looks). */
function checkpointPath(deps: CompatDeps, file: string): string {
  const kinds = listModels(deps.ctx.paths);
  const kind = kinds["stable-diffusion"].includes(file) ? "stable-diffusion" : "diffusion_models";
  return join(modelDir(deps.ctx.paths, kind), file);
}

export function sdModels(deps: CompatDeps) {
  return checkpointFiles(deps.ctx.paths).map((file) => {
    const filename = checkpointPath(deps, file);
    const sha256 = cachedSha256(deps.queue, filename);
    const hash = sha256 ? sha256.slice(0, 10) : null;
    return { title: modelTitle(file, hash), model_name: modelStem(file), hash, sha256, filename, config: null };
  });
}

export function modelRoutes(deps: CompatDeps) {
  const dir = (kind: Parameters<typeof modelDir>[1]) => modelDir(deps.ctx.paths, kind);
  return a1111App()
    .get("/sd-models", (c) => c.json(sdModels(deps)))
    .get("/sd-vae", (c) => c.json(listModels(deps.ctx.paths).vae.map((f) => ({ model_name: f, filename: join(dir("vae"), f) }))))
    .get("/loras", (c) => c.json(listModels(deps.ctx.paths).lora.map((f) => ({ name: modelStem(f), alias: modelStem(f), path: join(dir("lora"), f), metadata: {} }))))
    .get("/upscalers", (c) =>
      c.json([
        { name: "None", model_name: null, model_path: null, model_url: null, scale: 4 },
        ...HIRES_UPSCALERS.map((name) => ({ name, model_name: null, model_path: null, model_url: null, scale: 2 })),
        ...listModels(deps.ctx.paths).realesrgan.map((f) => ({ name: modelStem(f), model_name: modelStem(f), model_path: join(dir("realesrgan"), f), model_url: null, scale: 4 })),
      ]),
    )
    .post("/refresh-checkpoints", (c) => c.json(null))
    .post("/refresh-vae", (c) => c.json(null));
}
