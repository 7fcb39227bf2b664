/** The prompt tools' routes (prompts/routes/prompts.ts) as documented routes. */
import { z } from "zod";
import { expandSchema } from "../../prompts/routes/prompts";
import { doc, type RouteDoc } from "./route-doc";

const P = "Prompts";
const any = z.record(z.string(), z.unknown());

export const promptRoutes: RouteDoc[] = [
  doc("post /api/prompts/expand", P, {
    summary: "Expand {sets}, a|matrix and __wildcards__ into prompts (at most 1,000)",
    description: "Sets nested more than 32 deep: 400 `prompt_too_deep`.",
    body: { schema: expandSchema, example: { prompt: "a {red,blue} car | at night" } },
    response: {
      status: 200,
      schema: any,
      example: { prompts: ["a red car", "a blue car", "a red car, at night", "a blue car, at night"], count: 4 },
    },
  }),
  doc("get /api/prompts/modifiers", P, {
    summary: "Style modifiers in categories: the user's modifiers.txt, then the shipped list",
    response: { status: 200, schema: any, example: { categories: [{ name: "Lighting", modifiers: ["golden hour", "rim light"] }] } },
  }),
  doc("get /api/prompts/wildcards", P, {
    summary: "The wildcard lists in the data folder's wildcards/",
    response: { status: 200, schema: any, example: { wildcards: [{ name: "animal", count: 12 }] } },
  }),
];
