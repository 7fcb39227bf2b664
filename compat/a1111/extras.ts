/**
 * Small A1111 lists clients read at start-up to find out what the server
 * has (SillyTavern, Open WebUI, webuiapi), answered in A1111's shapes
 * (modules/api/api.py, models.py) with what exists here: `scripts` (the one
 * selectable script that runs, "SD upscale"), `script-info`, `embeddings`,
 * `hypernetworks` (none: the engine has no hypernetworks), `face-restorers`
 * (none), `realesrgan-models` (models/realesrgan), `prompt-styles` (none),
 * `latent-upscale-modes`, `extensions` (none), `cmd-flags` (A1111's flags
 * that describe this server; vars(cmd_opts) in A1111), the refresh and
 * (un)load no-ops, and `/internal/ping`, which SillyTavern uses to see
 * whether the server is up.
 */
import { Hono } from "hono";
import { modelDir } from "../../core/paths";
import { modelFiles } from "../model-files";
import { HIRES_UPSCALERS } from "../../common/image-request";
import { modelStem } from "../checkpoints";
import type { CompatDeps } from "../deps";
import { esrganScaleOf } from "./esrgan-scale";
import { a1111App } from "./errors";
import { SD_UPSCALE } from "./scripts";

/** A1111 command-line flags (modules/cmd_args.py names) with this server's values; the rest of A1111's flags do not apply. */
export function cmdFlags(deps: CompatDeps) {
  const { paths, config, listening } = deps.ctx;
  return {
    api: true,
    nowebui: false,
    listen: config.config.server.allow_lan,
    port: listening?.port ?? null,
    data_dir: paths.data,
    models_dir: paths.models,
    ckpt_dir: modelDir(paths, "stable-diffusion"),
    vae_dir: modelDir(paths, "vae"),
    lora_dir: modelDir(paths, "lora"),
    embeddings_dir: modelDir(paths, "embeddings"),
    realesrgan_models_path: modelDir(paths, "realesrgan"),
    hypernetwork_dir: null,
    api_auth: null,
    api_log: false,
    api_server_stop: false,
    skip_torch_cuda_test: true,
    no_half: false,
    lowvram: false,
    medvram: false,
    xformers: false,
    disable_safe_unpickle: false,
  };
}

export function extraRoutes(deps: CompatDeps) {
  return a1111App()
    .get("/scripts", (c) => c.json({ txt2img: [], img2img: [SD_UPSCALE.toLowerCase()] }))
    .get("/script-info", (c) =>
      c.json([
        {
          name: SD_UPSCALE.toLowerCase(),
          is_alwayson: false,
          is_img2img: true,
          args: [
            { label: "info", value: null, minimum: null, maximum: null, step: null, choices: null },
            { label: "Tile overlap", value: 64, minimum: 0, maximum: 256, step: 16, choices: null },
            { label: "Upscaler", value: "None", minimum: null, maximum: null, step: null, choices: null },
            { label: "Scale Factor", value: 2, minimum: 0, maximum: 4, step: 1, choices: null },
          ],
        },
      ]),
    )
    .get("/embeddings", (c) => {
      const details = { step: null, sd_checkpoint: null, sd_checkpoint_name: null, shape: 0, vectors: 0 };
      const loaded = Object.fromEntries(modelFiles(deps.ctx, "embeddings").map((f) => [modelStem(f.name), details]));
      return c.json({ loaded, skipped: {} });
    })
    .get("/hypernetworks", (c) => c.json([]))
    .get("/face-restorers", (c) => c.json([]))
    .get("/realesrgan-models", (c) =>
      c.json(modelFiles(deps.ctx, "realesrgan").map((f) => ({ name: modelStem(f.name), path: f.path, scale: esrganScaleOf(f.path) }))),
    )
    .get("/prompt-styles", (c) => c.json([]))
    .get("/extensions", (c) => c.json([]))
    .get("/cmd-flags", (c) => c.json(cmdFlags(deps)))
    .get("/latent-upscale-modes", (c) => c.json(HIRES_UPSCALERS.filter((u) => u.startsWith("Latent")).map((name) => ({ name }))))
    // Folders are read on every request and the engine loads models when a picture needs them: nothing to refresh or (un)load.
    .post("/refresh-embeddings", (c) => c.json(null))
    .post("/refresh-loras", (c) => c.json(null))
    .post("/unload-checkpoint", (c) => c.json({}))
    .post("/reload-checkpoint", (c) => c.json({}));
}

/** `/internal/ping` (mounted at /internal): `{}` while the server is up. */
export function pingRoutes() {
  return new Hono().get("/ping", (c) => c.json({}));
}
