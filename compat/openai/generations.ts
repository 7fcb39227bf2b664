/** `POST /v1/images/generations`: OpenAI's text-to-image through our queue. */
import type { CompatDeps } from "../deps";
import { keepWaiting } from "../run";
import { OpenAIError, openaiApp } from "./errors";
import { generateImages, toImageRequest } from "./generate";
import { generationRequestSchema } from "./schemas";

export function generationRoutes(deps: CompatDeps) {
  return openaiApp().post("/images/generations", async (c) => {
    keepWaiting(c);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new OpenAIError(400, "the request body is not valid JSON");
    }
    const parsed = generationRequestSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new OpenAIError(400, issue.message, issue.path.length ? String(issue.path[0]) : null);
    }
    return c.json(await generateImages(deps, toImageRequest(deps, parsed.data), parsed.data, new URL(c.req.url).origin));
  });
}
