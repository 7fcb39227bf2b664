/**
 * Every compatibility route, by mount path, so the app can list them (and the
 * role gate classify them) before their modules load on the first call
 * (core/server/lazy-routes.ts). tests/compat/route-table.test.ts fails when
 * this differs from what the real sub-apps register.
 */
import type { RouteKey } from "../core/server/lazy-routes";

/** A1111's modules/api/api.py routes (and the Lora extension's), at /sdapi/v1. */
const A1111: RouteKey[] = [
  "POST /txt2img",
  "POST /img2img",
  "POST /extra-single-image",
  "POST /extra-batch-images",
  "GET /progress",
  "POST /interrupt",
  "POST /skip",
  "GET /sd-models",
  "GET /sd-vae",
  "GET /loras",
  "GET /upscalers",
  "POST /refresh-checkpoints",
  "POST /refresh-vae",
  "GET /samplers",
  "GET /schedulers",
  "GET /options",
  "POST /options",
  "POST /png-info",
  "GET /memory",
  "GET /scripts",
  "GET /script-info",
  "GET /embeddings",
  "GET /hypernetworks",
  "GET /face-restorers",
  "GET /realesrgan-models",
  "GET /prompt-styles",
  "GET /extensions",
  "GET /cmd-flags",
  "GET /latent-upscale-modes",
  "POST /refresh-embeddings",
  "POST /refresh-loras",
  "POST /unload-checkpoint",
  "POST /reload-checkpoint",
  "POST /interrogate",
  "POST /create/embedding",
  "POST /create/hypernetwork",
  "POST /train/embedding",
  "POST /train/hypernetwork",
  "POST /server-kill",
  "POST /server-restart",
  "POST /server-stop",
];

/** OpenAI's images API and model list, at /v1. */
const OPENAI: RouteKey[] = ["POST /images/generations", "POST /images/edits", "POST /images/variations", "GET /models", "GET /models/:id{.+}"];

export const COMPAT_ROUTES = { "/sdapi/v1": A1111, "/v1": OPENAI, "/internal": ["GET /ping"] } as const satisfies Record<string, RouteKey[]>;

export type CompatMount = keyof typeof COMPAT_ROUTES;
