/**
 * `GET /v1/models` and `GET /v1/models/{id}`: the installed checkpoints as
 * OpenAI model objects (id = the name to send as `model`); an unknown id is
 * OpenAI's 404 `model_not_found`. Ids may hold a folder ("sdxl/base.safetensors").
 */
import { statSync } from "node:fs";
import { checkpointFile } from "../model-files";
import { checkpointFiles } from "../checkpoints";
import type { CompatDeps } from "../deps";
import { OpenAIError, openaiApp } from "./errors";

function modelObject(deps: CompatDeps, id: string) {
  const path = checkpointFile(deps.ctx, id);
  let created = 0;
  try {
    created = path ? Math.floor(statSync(path).mtimeMs / 1000) : 0;
  } catch {
    // Removed meanwhile: listed with 0.
  }
  return { id, object: "model" as const, created, owned_by: "easy-diffusion" };
}

export function modelListRoutes(deps: CompatDeps) {
  return openaiApp()
    .get("/models", (c) => c.json({ object: "list" as const, data: checkpointFiles(deps.ctx).map((id) => modelObject(deps, id)) }))
    .get("/models/:id{.+}", (c) => {
      const id = c.req.param("id");
      if (!checkpointFiles(deps.ctx).includes(id)) throw new OpenAIError(404, `The model '${id}' does not exist`, "model", "model_not_found");
      return c.json(modelObject(deps, id));
    });
}
