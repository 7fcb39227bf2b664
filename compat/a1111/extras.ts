/**
 * Small A1111 lists clients read at start-up to find out what the server
 * has (SillyTavern, Open WebUI, webuiapi): `scripts`, `embeddings`,
 * `face-restorers`, `prompt-styles`, `latent-upscale-modes`, and
 * `/internal/ping`, which SillyTavern uses to see whether the server is up.
 * Answered in A1111's shapes with what exists here (mostly nothing).
 */
import { Hono } from "hono";
import { modelFiles } from "../model-files";
import { HIRES_UPSCALERS } from "../../queue/request";
import { modelStem } from "../checkpoints";
import type { CompatDeps } from "../deps";
import { a1111App } from "./errors";

export function extraRoutes(deps: CompatDeps) {
  return a1111App()
    .get("/scripts", (c) => c.json({ txt2img: [], img2img: [] }))
    .get("/embeddings", (c) => {
      const loaded = Object.fromEntries(modelFiles(deps.ctx, "embeddings").map((f) => [modelStem(f.name), { step: null, sd_checkpoint: null, sd_checkpoint_name: null, shape: 0, vectors: 0 }]));
      return c.json({ loaded, skipped: {} });
    })
    .get("/face-restorers", (c) => c.json([]))
    .get("/prompt-styles", (c) => c.json([]))
    .get("/latent-upscale-modes", (c) => c.json(HIRES_UPSCALERS.filter((u) => u.startsWith("Latent")).map((name) => ({ name }))));
}

/** `/internal/ping` (mounted at /internal): `{}` while the server is up. */
export function pingRoutes() {
  return new Hono().get("/ping", (c) => c.json({}));
}
