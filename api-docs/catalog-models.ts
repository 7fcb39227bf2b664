/** The models noun's routes (models/routes/*.ts) as documented routes. */
import { z } from "zod";
import type { RouteDoc } from "./route-doc";

const M = "Models";
const any = z.record(z.string(), z.unknown());
const ok = (example: unknown) => ({ status: 200, schema: any, example });
const entry = {
  kind: "stable-diffusion", name: "sd15.safetensors", file: "/home/me/.local/share/easy-diffusion/models/stable-diffusion/sd15.safetensors",
  folder: "/home/me/.local/share/easy-diffusion/models/stable-diffusion", root: "app", layout: "app", size: 2132625894, mtime: 1767225600000,
  format: "safetensors", detected: "checkpoint", family: "sd1", precision: "f16", usable: true, sha256: null, shortHash: null, needs: [], civitai: null,
};
const list = { models: [entry], kinds: { "stable-diffusion": ["sd15.safetensors"] }, roots: [{ path: entry.folder.replace(/\/stable-diffusion$/, ""), layout: "app" }], lastUsed: { model: "sd15.safetensors", text_encoders: [] }, scanning: false };
const set = { name: "Flux dev", model: "flux1-dev-q8_0.gguf", vae: "ae.safetensors", text_encoders: ["clip_l.safetensors", "t5xxl_fp16.safetensors"], family: "flux" };
const setBody = z.object({ model: z.string(), vae: z.string().optional(), text_encoders: z.array(z.string()).optional() });

export const modelsRoutes: RouteDoc[] = [
  { method: "get", path: "/api/models", tag: M, summary: "Every model file with what its header says; usable names per kind; roots; last used models", response: ok(list) },
  { method: "post", path: "/api/models/rescan", tag: M, summary: "The same, after re-reading every header", response: ok(list) },
  { method: "delete", path: "/api/models/{kind}/{name}", tag: M, summary: "Delete a model file inside a model folder (name may hold slashes)", params: ["kind", "name"], response: ok({ deleted: "sd15.safetensors" }) },
  { method: "get", path: "/api/models/sets", tag: M, summary: "Model sets (a model with its VAE and text encoders)", response: ok({ sets: [set] }) },
  { method: "put", path: "/api/models/sets/{name}", tag: M, summary: "Create or replace a model set", params: ["name"], body: { schema: setBody, example: { model: set.model, vae: set.vae, text_encoders: set.text_encoders } }, response: ok(set) },
  { method: "delete", path: "/api/models/sets/{name}", tag: M, summary: "Delete a model set", params: ["name"], response: ok({ deleted: "Flux dev" }) },
  { method: "get", path: "/api/models/companions", tag: M, summary: "What a diffusion-only model needs (VAE, text encoders) and the installed files that fit", query: [{ name: "model", description: "the model's name" }], response: ok({ family: "flux", needs: [{ role: "vae", kind: "vae", installed: ["ae.safetensors"], suggested: "ae.safetensors", catalog: null }] }) },
];
