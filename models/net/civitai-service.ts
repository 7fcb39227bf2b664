/**
 * Wraps the models service (models/service.ts) with its network parts that
 * need the library: Civitai facts for installed models (the enricher, by
 * hash), their preview pictures (GET /api/models/preview/:sha256), "check for
 * updates" (POST /api/models/:kind/:name/check-update) and the companions'
 * catalogue hook. Used in launcher/wiring.ts as withCivitai(modelsService(…)).
 */
import { readEnv } from "../../launcher/env";
import { ApiError, notFound } from "../../launcher/server/errors";
import { MODEL_KINDS } from "../../launcher/paths";
import type { ServiceFactory } from "../../launcher/services";
import { civitaiBase, huggingfaceBase } from "../hosts";
import type { ModelsService } from "../service";
import { loadCatalog } from "./catalog";
import { catalogCompanion } from "./catalog-companions";
import { CivitaiError, CivitaiLookup } from "./civitai-lookup";
import { authFor } from "./downloads";
import { PreviewCache } from "./previews";

export interface CivitaiOptions {
  fetch?: typeof fetch;
  /** The catalogue's YAML text (default: the one shipped). */
  catalogText?: string;
}

export function withCivitai(models: ServiceFactory, options: CivitaiOptions = {}): ServiceFactory {
  return async (ctx) => {
    const service = (await models(ctx)) as ModelsService;
    const env = readEnv();
    const m = () => ctx.config.config.models;
    const hosts = () => ({ huggingface: huggingfaceBase(m(), env), civitai: civitaiBase(m()), huggingfaceToken: m().huggingface_token, civitaiToken: m().civitai_token });
    const previews = new PreviewCache(ctx.paths.modelPreviews);
    const lookup = new CivitaiLookup({
      database: ctx.paths.database,
      previews,
      enabled: () => m().civitai_lookup,
      base: () => hosts().civitai,
      auth: (url) => authFor(url, hosts()),
      fetch: options.fetch,
      onFound: (sha256) => ctx.bus.publish("models.civitai", { sha256 }),
    });
    service.setEnricher(lookup.enrich);
    service.setCatalog(catalogCompanion(loadCatalog(options.catalogText, hosts().huggingface)));
    // A hash computed in the background is looked up at once, not at the next listing.
    const off = ctx.bus.subscribe((e) => {
      if (e.type === "models.hashed" && m().civitai_lookup) lookup.queue((e.data as { sha256: string }).sha256.toLowerCase());
    });

    const modelsApp = service.routes!["/models"]!;
    modelsApp.post("/:kind/:name{.+}/check-update", async (c) => {
      const kind = c.req.param("kind");
      const name = c.req.param("name");
      if (!(MODEL_KINDS as readonly string[]).includes(kind)) throw notFound(`model kind "${kind}"`);
      if (!m().civitai_lookup) throw new ApiError(409, "civitai_lookup_off", "Civitai lookups are off (Settings → Models → civitai_lookup)");
      const { models: entries } = await service.library.list();
      const entry = entries.find((e) => e.kind === kind && e.name === name);
      if (!entry) throw notFound(`${kind} model "${name}"`);
      const sha = entry.sha256 ?? (await service.hashes.sha256(entry.file));
      if (!sha) throw notFound(`${kind} model "${name}"`);
      try {
        return c.json({ updateAvailable: await lookup.checkUpdate(sha) });
      } catch (err) {
        if (err instanceof CivitaiError) {
          const auth = err.status === 401 || err.status === 403;
          throw new ApiError(auth ? err.status : 502, auth ? "needs_token" : "upstream_failed", auth ? `${err.message}: add a Civitai API key in Settings → Models` : err.message);
        }
        throw err;
      }
    });
    return {
      ...service,
      civitai: lookup,
      // Before "/models", which would otherwise see /models/preview/x as /:kind/:name.
      routes: { "/models/preview": previews.routes(), ...service.routes },
      stop: async () => {
        off();
        lookup.stop();
        await service.stop?.();
      },
    };
  };
}

declare module "../../launcher/events/bus" {
  interface EventMap {
    /** Civitai facts for a model hash arrived: GET /api/models shows them now. */
    "models.civitai": { sha256: string };
  }
}
