/**
 * `GET /api/models/companions?model=<name>`: which companion files a
 * diffusion-only model needs (by family, companions.ts) and the installed
 * ones that fit; `catalog` names the catalog entry providing each (hook).
 */
import { Hono } from "hono";
import { badRequest, notFound } from "../../core/server/errors";
import { companionsFor, type CompanionRole } from "../companions";
import type { ModelLibrary } from "../library";

export type CatalogHook = (family: string, role: CompanionRole) => string | null;

export function companionRoutes(library: ModelLibrary, catalog: () => CatalogHook | undefined) {
  return new Hono().get("/", async (c) => {
    const name = c.req.query("model");
    if (!name) throw badRequest("model: the model's name is required");
    const { models } = await library.list();
    const model = models.find((e) => (e.kind === "stable-diffusion" || e.kind === "diffusion_models") && e.name === name);
    if (!model) throw notFound(`model "${name}"`);
    const needs = companionsFor(model.family, models, catalog()).filter((n) => model.needs.includes(n.role));
    return c.json({ family: model.family, needs });
  });
}
