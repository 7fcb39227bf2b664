/** `POST /v1/images/generations`: OpenAI's text-to-image through our queue. */
import type { CompatDeps } from "../deps";
import { keepWaiting } from "../run";
import { openaiApp, readOpenAIJson } from "./errors";
import { generateImages, toImageRequest } from "./generate";
import { generationRequestSchema } from "./schemas";

export function generationRoutes(deps: CompatDeps) {
  return openaiApp().post("/images/generations", async (c) => {
    keepWaiting(c);
    const fields = await readOpenAIJson(c, generationRequestSchema);
    return c.json(await generateImages(deps, toImageRequest(deps, fields), fields, new URL(c.req.url).origin));
  });
}
