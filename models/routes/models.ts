/**
 * `GET /api/models` (every model file with what its header says, usable
 * names per kind for the Image tab, roots, last used models),
 * `POST /api/models/rescan` (same, re-reading every header),
 * `DELETE /api/models/:kind/:name` (only files inside a root) and
 * `POST /api/models/:kind/:name/check-update` (a newer version on Civitai, through the net part's hook).
 */
import { Hono } from "hono";
import { ApiError, badRequest, notFound } from "../../core/server/errors";
import { MODEL_KINDS, type ModelKind } from "../../core/paths";
import type { ModelLibrary } from "../library";

/** A newer version of the model with this sha256, or null; the net part provides it (models/net/civitai-lookup.ts). */
export type UpdateCheck = (sha256: string) => Promise<{ versionId: number; name: string } | null>;

export function modelRoutes(
  library: ModelLibrary,
  hooks: { checkUpdate?: () => UpdateCheck | undefined; sha256?: (path: string) => Promise<string | null> } = {},
) {
  return new Hono()
    .get("/", async (c) => c.json(await library.list()))
    .post("/rescan", async (c) => c.json(await library.list({ fresh: true })))
    .post("/:kind/:name{.+}/check-update", async (c) => {
      const check = hooks.checkUpdate?.();
      if (!check) throw new ApiError(503, "not_available", "checking for updates needs the Civitai lookup (Settings → Models)");
      const { kind, name } = c.req.param();
      const entry = library.entries.find((e) => e.kind === kind && e.name === name);
      if (!entry) throw notFound(`${kind} model "${name}"`);
      const sha256 = entry.sha256 ?? (await hooks.sha256?.(entry.file)) ?? null;
      if (!sha256) throw new ApiError(409, "not_hashed", `${name} has not been hashed yet`);
      try {
        return c.json({ updateAvailable: await check(sha256) });
      } catch (err) {
        // The net part's errors carry the upstream status: a refusal means a token is needed.
        const status = (err as { status?: number }).status;
        if (status === 401 || status === 403) throw new ApiError(status, "needs_token", (err as Error).message);
        throw new ApiError(502, "upstream_failed", `could not ask Civitai: ${(err as Error).message}`);
      }
    })
    .delete("/:kind/:name{.+}", (c) => {
      const kind = c.req.param("kind");
      if (!(MODEL_KINDS as readonly string[]).includes(kind)) throw notFound(`model kind "${kind}"`);
      // Hono has already percent-decoded the name once; decoding again would misname files with "%" in them.
      const name = c.req.param("name");
      if (name.includes("\0") || name.startsWith("/") || /^[a-zA-Z]:/.test(name) || name.split(/[\\/]/).includes(".."))
        throw badRequest("a model name is a path inside its kind folder");
      if (!library.delete(kind as ModelKind, name)) throw notFound(`${kind} model "${name}"`);
      return c.json({ deleted: name });
    });
}
