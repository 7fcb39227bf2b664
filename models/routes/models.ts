/**
 * `GET /api/models` (every model file with what its header says, usable
 * names per kind for the Image tab, roots, last used models),
 * `POST /api/models/rescan` (same, re-reading every header) and
 * `DELETE /api/models/:kind/:name` (only files inside a root).
 */
import { Hono } from "hono";
import { ApiError, badRequest, notFound } from "../../launcher/server/errors";
import { MODEL_KINDS, type ModelKind } from "../../launcher/paths";
import { ModelNotInRootError, type ModelLibrary } from "../library";

export function modelRoutes(library: ModelLibrary) {
  return new Hono()
    .get("/", async (c) => c.json(await library.list()))
    .post("/rescan", async (c) => c.json(await library.list({ fresh: true })))
    .delete("/:kind/:name{.+}", (c) => {
      const kind = c.req.param("kind");
      if (!(MODEL_KINDS as readonly string[]).includes(kind)) throw notFound(`model kind "${kind}"`);
      // Hono has already percent-decoded the name once; decoding again would misname files with "%" in them.
      const name = c.req.param("name");
      if (name.includes("\0") || name.startsWith("/") || /^[a-zA-Z]:/.test(name) || name.split(/[\\/]/).includes("..")) throw badRequest("a model name is a path inside its kind folder");
      try {
        if (!library.delete(kind as ModelKind, name)) throw notFound(`${kind} model "${name}"`);
      } catch (err) {
        if (err instanceof ModelNotInRootError) throw new ApiError(403, "outside_model_folder", err.message);
        throw err;
      }
      return c.json({ deleted: name });
    });
}
