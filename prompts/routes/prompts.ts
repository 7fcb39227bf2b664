/**
 * `/api/prompts`: prompt expansion with the data folder's wildcards.
 *   POST /api/prompts/expand {prompt} or {lines} → {prompts: string[], count}
 *   GET  /api/prompts/wildcards → {wildcards: [{name, count}]}
 *   GET  /api/prompts/modifiers → {categories: [{name, modifiers, custom?}]}
 * Errors: 400 too_many_prompts, prompt_syntax, prompt_too_deep, unknown_wildcard.
 */
import { Hono } from "hono";
import { z } from "zod";
import { readJson } from "../../core/server/errors";
import { expandPrompt, expandPromptLines } from "../../common/prompt-expand";
import { readWildcards } from "../wildcards";
import { loadModifiers } from "../modifiers";

export const expandSchema = z
  .object({
    prompt: z.string().max(100_000).optional().describe("One prompt, possibly with {sets}, a|matrix and __wildcards__"),
    lines: z.array(z.string().max(100_000)).max(10_000).optional().describe("A prompt file's lines, one prompt each"),
  })
  .refine((b) => (b.prompt === undefined) !== (b.lines === undefined), "give either prompt or lines");

export function promptRoutes(wildcardsDir: string, customModifiers: string) {
  return new Hono()
    .post("/expand", async (c) => {
      const body = await readJson(c, expandSchema);
      const wildcards = await readWildcards(wildcardsDir);
      const prompts = body.lines ? expandPromptLines(body.lines, { wildcards }) : expandPrompt(body.prompt!, { wildcards });
      return c.json({ prompts, count: prompts.length });
    })
    .get("/modifiers", async (c) => c.json({ categories: await loadModifiers(customModifiers) }))
    .get("/wildcards", async (c) => {
      const wildcards = await readWildcards(wildcardsDir);
      return c.json({ wildcards: Object.entries(wildcards).map(([name, lines]) => ({ name, count: lines.length })) });
    });
}
