/**
 * The models noun as an app service: the library over the search path (the
 * app's models/ folder, then config models.extra_folders), its routes under
 * /api/models, model sets, companions, and the warm engine (started with the
 * last used models at app start; optionally stopped when idle).
 *
 * Hooks for the net helper (catalog, Civitai): `enrich` fills Entry.civitai,
 * `catalog` names the catalog entry that provides a companion. Both can be
 * given as options or set later on the returned service.
 */
import type { Engine } from "../engine/types";
import type { AppContext } from "../core/server/context";
import type { Service, ServiceFactory } from "../core/services";
import type { LibraryOptions } from "./library";
import { HeaderCache } from "./header-cache";
import { ModelHashes } from "./hashes";
import { ModelLibrary } from "./library";
import { searchPathFor } from "./roots";
import { companionRoutes, type CatalogHook } from "./routes/companions";
import { modelRoutes, type UpdateCheck } from "./routes/models";
import { setRoutes } from "./routes/sets";
import { warmRoutes } from "./routes/warm";
import { ModelStore } from "./store";
import type { ModelUse } from "./use";
import { WarmEngine } from "./warm";

export interface ModelsServiceOptions {
  /** The engine to warm up and idle-unload (absent: no warm start). */
  engine?: (ctx: AppContext) => Engine | Promise<Engine>;
  enrich?: LibraryOptions["enrich"];
  catalog?: CatalogHook;
  /** What the tasks used (the queue's ModelUse, handed over by the composition root; read at each use, as the queue starts later). */
  use?: () => ModelUse | undefined;
  /** Hash model files in the background (default true, and only while config models.civitai_lookup is on). */
  hashInBackground?: boolean;
}

export interface ModelsService extends Service {
  library: ModelLibrary;
  store: ModelStore;
  hashes: ModelHashes;
  /** The warm start and idle unload (null without an engine). */
  warm: WarmEngine | null;
  setCatalog(hook: CatalogHook): void;
  /** Sets the Civitai enricher of entries (the net helper's by-hash lookup). */
  setEnricher(enrich: LibraryOptions["enrich"]): void;
  /** Sets how "check for updates" asks Civitai (the net part). */
  setUpdateCheck(check: UpdateCheck): void;
}

export function modelsService(options: ModelsServiceOptions = {}): ServiceFactory {
  return async (ctx): Promise<ModelsService> => {
    const store = new ModelStore(ctx.paths.database);
    const hashes = new ModelHashes(store);
    let catalog = options.catalog;
    let updateCheck: UpdateCheck | undefined;
    const library = new ModelLibrary({
      search: () => searchPathFor(ctx),
      headers: new HeaderCache(ctx.paths.modelHeaderCache),
      hashes,
      lastUsed: () => store.withSet(options.use?.()?.lastModels() ?? null),
      enrich: options.enrich,
      // Full hashes are for the Civitai lookup; infotext short hashes are computed when an image is saved.
      hashInBackground: () => options.hashInBackground !== false && ctx.config.config.models.civitai_lookup,
      onHashed: (e) => ctx.bus.publish("models.hashed", { kind: e.kind, name: e.name, sha256: e.sha256! }),
    });
    const engine = options.engine ? await options.engine(ctx) : null;
    const warm = engine ? new WarmEngine({ engine, ctx, library, store, use: options.use }) : null;
    return {
      name: "models",
      library,
      store,
      hashes,
      warm,
      setCatalog: (hook) => (catalog = hook),
      setEnricher: (enrich) => library.setEnricher(enrich),
      setUpdateCheck: (check) => (updateCheck = check),
      // More specific paths first: "/models" would otherwise see /models/sets/… as /:kind/:name.
      routes: {
        "/models/sets": setRoutes(store, library),
        "/models/warm": warmRoutes(() => warm),
        "/models/companions": companionRoutes(library, () => catalog),
        "/models": modelRoutes(library, { checkUpdate: () => updateCheck, sha256: (path) => hashes.sha256(path) }),
      },
      start: () => warm?.start(),
      stop: () => {
        warm?.stop();
        library.stop();
        store.close();
      },
    };
  };
}

declare module "../core/events/bus" {
  interface EventMap {
    /** A model file's sha256 is known (computed in the background). */
    "models.hashed": { kind: string; name: string; sha256: string };
  }
}
