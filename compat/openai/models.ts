/** `GET /v1/models`: the installed checkpoints as OpenAI model objects (id = the name to send as `model`). */
import { statSync } from "node:fs";
import { checkpointFile } from "../model-files";
import { checkpointFiles } from "../checkpoints";
import type { CompatDeps } from "../deps";
import { openaiApp } from "./errors";

export function modelListRoutes(deps: CompatDeps) {
  return openaiApp().get("/models", (c) => {
    const data = checkpointFiles(deps.ctx).map((id) => {
      const path = checkpointFile(deps.ctx, id);
      let created = 0;
      try {
        created = path ? Math.floor(statSync(path).mtimeMs / 1000) : 0;
      } catch {
        // Removed meanwhile: listed with 0.
      }
      return { id, object: "model" as const, created, owned_by: "easy-diffusion" };
    });
    return c.json({ object: "list" as const, data });
  });
}
