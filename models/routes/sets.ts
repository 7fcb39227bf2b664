/**
 * Model sets: a named model with its VAE and text encoders, kept in the
 * database. `GET /api/models/sets`, `PUT /api/models/sets/:name`,
 * `DELETE /api/models/sets/:name`. The set's family is read from its model's header.
 */
import { Hono } from "hono";
import { z } from "zod";
import { notFound, readJson } from "../../core/server/errors";
import type { ModelLibrary } from "../library";
import type { ModelStore } from "../store";

export const SetBody = z.object({
  model: z.string().min(1),
  vae: z.string().min(1).optional(),
  text_encoders: z.array(z.string().min(1)).max(4).default([]),
});

export function setRoutes(store: ModelStore, library: ModelLibrary) {
  return new Hono()
    .get("/", (c) => c.json({ sets: store.sets() }))
    .put("/:name", async (c) => {
      const name = c.req.param("name").trim();
      const body = await readJson(c, SetBody);
      if (!name || name.length > 200) throw notFound("model set name");
      const entries = library.entries.length ? library.entries : (await library.list()).models;
      const model = entries.find((e) => (e.kind === "stable-diffusion" || e.kind === "diffusion_models") && e.name === body.model);
      return c.json(store.putSet({ name, model: body.model, vae: body.vae, text_encoders: body.text_encoders, family: model?.family ?? null }));
    })
    .delete("/:name", (c) => {
      const name = c.req.param("name");
      if (!store.deleteSet(name)) throw notFound(`model set "${name}"`);
      return c.json({ deleted: name });
    });
}
