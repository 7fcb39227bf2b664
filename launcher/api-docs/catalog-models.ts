/** The models routes (models/routes/*, models/net/routes.ts) as documented routes; bodies are the routes' own schemas. */
import { z } from "zod";
import { downloadSchema } from "../../models/net/routes";
import { SetBody } from "../../models/routes/sets";
import { doc, type RouteDoc } from "./route-doc";

const M = "Models";
const any = z.record(z.string(), z.unknown());
const ok = (example: unknown) => ({ status: 200, schema: any, example });
const entry = {
  kind: "stable-diffusion",
  name: "sd15.safetensors",
  family: "sd1",
  size: 4265146304,
  precision: "f16",
  usable: true,
  shortHash: "6ce0161689",
  folder: "/home/me/.local/share/easy-diffusion/models/stable-diffusion",
};
const set = {
  name: "flux-schnell",
  model: "flux1-schnell-Q4_0.gguf",
  vae: "ae.safetensors",
  text_encoders: ["clip_l.safetensors", "t5xxl_fp16.safetensors"],
  family: "flux",
};
const progress = {
  id: "m-vae-ae.safetensors",
  kind: "model",
  asset: "ae.safetensors",
  bytes: 1048576,
  total: 335304388,
  rate: 5242880,
  phase: "downloading",
  source: "Comfy-Org/z_image_turbo",
};

export const modelRoutes: RouteDoc[] = [
  doc("post /api/models/rescan", M, {
    summary: "Look at the model folders again (what GET /api/models answers)",
    response: ok({ models: [entry], kinds: { "stable-diffusion": ["sd15.safetensors"] } }),
  }),
  doc("delete /api/models/{kind}/{name}", M, {
    summary: "Delete a model file (only inside the model folders); 409 model_in_use when another program holds it open (Windows) or it is read-only",
    params: ["kind", "name"],
    response: ok({ deleted: "sd15.safetensors" }),
  }),
  doc("get /api/models/sets", M, {
    summary: "Saved model sets (a diffusion model with its VAE and text encoders)",
    response: ok({ sets: [set] }),
  }),
  doc("put /api/models/sets/{name}", M, {
    summary: "Save a model set under a name",
    params: ["name"],
    body: { schema: SetBody, example: { model: set.model, vae: set.vae, text_encoders: set.text_encoders } },
    response: ok(set),
  }),
  doc("delete /api/models/sets/{name}", M, {
    summary: "Remove a model set",
    params: ["name"],
    response: ok({ deleted: "flux-schnell" }),
  }),
  doc("get /api/models/companions", M, {
    summary: "What a diffusion-only model needs beside it, and the installed files that fit",
    query: [{ name: "model", description: "the model's name" }],
    response: ok({
      family: "flux",
      needs: [{ role: "vae", kind: "vae", installed: ["ae.safetensors"], suggested: "ae.safetensors", catalog: null }],
    }),
  }),
  doc("post /api/models/warm", M, {
    summary: "Start the engine with these models now (after a starter download)",
    body: { schema: SetBody, example: { model: "sd15.safetensors", text_encoders: [] } },
    response: { status: 202, schema: any, example: { warming: true } },
  }),
  doc("post /api/models/{kind}/{name}/check-update", M, {
    summary: "Whether Civitai has a newer version of this model",
    params: ["kind", "name"],
    response: ok({ updateAvailable: { versionId: 70000, name: "v2.0" } }),
  }),
  doc("get /api/models/preview/{sha256}", M, {
    summary: "A model's Civitai preview picture, cached",
    params: ["sha256"],
    response: { status: 200, type: "image/jpeg", example: "(image bytes)" },
  }),
  doc("get /api/models/catalog", M, {
    summary:
      "Starter models with their files' sources (tried in order; `gated` needs a Hugging Face token), which are installed, " +
      "the files only a gated repository has (`gated`: name and the page to accept the licence on), whether a Hugging Face token is set, " +
      "and the one recommended for this machine (without a token, one that downloads without an account)",
    response: ok({
      entries: [
        {
          id: "sd15",
          title: "Stable Diffusion 1.5",
          installed: false,
          files: [
            {
              kind: "stable-diffusion",
              name: "v1-5-pruned-emaonly.safetensors",
              size: 4265146304,
              sha256: "6ce0161689b3853acaa03779ec93eafe75a02f4ced659bee03f50797806fa2fa",
              url: "https://huggingface.co/stable-diffusion-v1-5/stable-diffusion-v1-5/resolve/main/v1-5-pruned-emaonly.safetensors",
              sources: [
                {
                  url: "https://huggingface.co/stable-diffusion-v1-5/stable-diffusion-v1-5/resolve/main/v1-5-pruned-emaonly.safetensors",
                  gated: false,
                },
              ],
            },
          ],
          gated: [],
        },
      ],
      tokenSet: false,
      recommended: {
        id: "sd15",
        reason: "without a GPU, SD 1.5 is the model that makes pictures in reasonable time; it downloads without a Hugging Face account",
      },
    }),
  }),
  doc("post /api/models/download", M, {
    summary: "Download a model file (or every file a starter needs) into its folder; progress as `download` events",
    description:
      "The URL and every redirect must be http(s): a download that is redirected elsewhere (file://) fails with `not_allowed` in its `download` event. " +
      "A guest's download also never goes to this computer or a local network (the configured Hugging Face and Civitai hosts excepted).",
    body: {
      schema: downloadSchema,
      example: { url: "https://huggingface.co/madebyollin/sdxl-vae-fp16-fix/resolve/main/sdxl_vae.safetensors", kind: "vae" },
    },
    response: { status: 202, schema: any, example: { id: "m-vae-sdxl_vae.safetensors" } },
  }),
  doc("get /api/models/downloads", M, {
    summary:
      "Model downloads of this session and where each stands: `phase` starting, downloading, retrying (`error` says why in words, " +
      "`attempt` of `attempts` starts in `retryInMs`), installed, failed (`error`) or cancelled; `source`: the repository or host the bytes come from",
    response: ok({
      downloads: [
        progress,
        {
          id: "m-stable-diffusion-sd15.safetensors",
          kind: "model",
          asset: "sd15.safetensors",
          bytes: 0,
          rate: 0,
          phase: "retrying",
          error: { code: "offline", message: "Can't reach huggingface.co — is this computer offline?" },
          attempt: 2,
          attempts: 6,
          retryInMs: 1000,
        },
      ],
    }),
  }),
  doc("post /api/models/downloads/{id}/retry", M, {
    summary: "Start again a model download that failed or was cancelled (409 while it runs; 404 when there is none such)",
    params: ["id"],
    response: { status: 202, schema: any, example: { id: "m-stable-diffusion-sd15.safetensors" } },
  }),
  doc("post /api/models/downloads/{id}/remove", M, {
    summary: "Take a failed or cancelled model download off the list (every page hears a `download` event with phase `removed`); 409 while it runs",
    params: ["id"],
    response: ok({ removed: true }),
  }),
  doc("post /api/models/downloads/{id}/cancel", M, {
    summary: "Stop a model download (its partial file stays, so a new download resumes it)",
    params: ["id"],
    response: ok({ cancelled: true }),
  }),
  doc("get /api/models/search", M, {
    summary: "Search Civitai or Hugging Face",
    query: [
      { name: "source", description: "civitai or huggingface" },
      { name: "q", description: "words to look for" },
      { name: "type", description: "a model kind, e.g. lora" },
      { name: "base", description: "base model, e.g. SD 1.5" },
      { name: "sort", description: "downloads, likes or newest" },
      { name: "cursor", description: "the `next` of the previous page" },
    ],
    response: ok({
      results: [
        {
          source: "civitai",
          id: "58390",
          name: "Detail Tweaker",
          type: "lora",
          baseModel: "SD 1.5",
          files: [{ name: "add_detail.safetensors", size: 36966, sha256: "…" }],
        },
      ],
      next: "62833|1",
    }),
  }),
];
