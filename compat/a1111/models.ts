/**
 * Model lists in A1111's shapes: `GET sd-models` (title with the short hash,
 * model_name, hash, sha256, filename), `sd-vae`, `loras`, `upscalers`, and
 * `POST refresh-checkpoints` / `refresh-vae` (we list the folders on every
 * request, so there is nothing to refresh). Hashes are the cached ones; an
 * unhashed model is hashed in the background and shows null until then.
 */
import { HIRES_UPSCALERS } from "../../common/image-request";
import { cachedSha256, modelStem, modelTitle } from "../checkpoints";
import type { CompatDeps } from "../deps";
import { modelFiles } from "../model-files";
import { BUILTIN_UPSCALERS } from "./builtin-upscale";
import { a1111App } from "./errors";

export function sdModels(deps: CompatDeps) {
  return [...modelFiles(deps.ctx, "stable-diffusion"), ...modelFiles(deps.ctx, "diffusion_models")].map(({ name, path }) => {
    const sha256 = cachedSha256(deps.queue, path);
    const hash = sha256 ? sha256.slice(0, 10) : null;
    return { title: modelTitle(name, hash), model_name: modelStem(name), hash, sha256, filename: path, config: null };
  });
}

/**
 * /sdapi/v1/upscalers in A1111's order (shared.sd_upscalers: "None",
 * "Lanczos", "Nearest" with scale 4 as modules/upscaler.py's UpscalerData
 * defaults, then the model upscalers), so SD upscale's `upscaler_index`
 * means the same here; the engine's latent hires modes follow (A1111 lists
 * those in latent-upscale-modes; hr_upscaler takes both).
 */
export function upscalerList(deps: CompatDeps) {
  const latent = HIRES_UPSCALERS.filter((u) => u.startsWith("Latent"));
  return [
    ...BUILTIN_UPSCALERS.map((name) => ({ name, model_name: null, model_path: null, model_url: null, scale: 4 })),
    ...modelFiles(deps.ctx, "realesrgan").map((f) => ({
      name: modelStem(f.name),
      model_name: modelStem(f.name),
      model_path: f.path,
      model_url: null,
      scale: 4,
    })),
    ...latent.map((name) => ({ name, model_name: null, model_path: null, model_url: null, scale: 2 })),
  ];
}

export function modelRoutes(deps: CompatDeps) {
  return a1111App()
    .get("/sd-models", (c) => c.json(sdModels(deps)))
    .get("/sd-vae", (c) => c.json(modelFiles(deps.ctx, "vae").map((f) => ({ model_name: f.name, filename: f.path }))))
    .get("/loras", (c) => c.json(modelFiles(deps.ctx, "lora").map((f) => ({ name: modelStem(f.name), alias: modelStem(f.name), path: f.path, metadata: {} }))))
    .get("/upscalers", (c) => c.json(upscalerList(deps)))
    .post("/refresh-checkpoints", (c) => c.json(null))
    .post("/refresh-vae", (c) => c.json(null));
}
