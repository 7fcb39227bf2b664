/**
 * Models from the network as an app service: the starter catalogue and its
 * recommendation, downloads into the model folders, and Civitai / Hugging Face
 * search, mounted under /api/models beside the library's routes. Tests give
 * their own catalogue and machine (and the hosts through config).
 */
import type { Hono } from "hono";
import { totalmem } from "node:os";
import { detectHardware } from "../../engine/detect/detect";
import { readEnv } from "../../core/env";
import type { Service, ServiceFactory } from "../../core/services";
import { lazyRoutes, type RouteKey } from "../../core/server/lazy-routes";
import { civitaiBase, huggingfaceBase } from "../hosts";
import { loadCatalog, type MachineMemory } from "./catalog";
import type { ModelsService } from "../service";
import { catalogCompanion } from "./catalog-companions";
import { CivitaiLookup } from "./civitai-lookup";
import { DownloadSources } from "./download-sources";
import { ModelDownloads, type Hosts } from "./downloads";

/** routes.ts's routes by mount path (under /api), listed before it loads on the first of them (tests/models/net-route-table.test.ts). */
export const NET_ROUTES: Record<string, RouteKey[]> = {
  "/models/catalog": ["GET /"],
  "/models/download": ["POST /"],
  "/models/downloads": ["GET /", "POST /:id/cancel", "POST /:id/retry", "POST /:id/remove"],
  "/models/preview": ["GET /:sha256"],
  "/models/search": ["GET /"],
};

export interface ModelsNetOptions {
  /** The library service, once started: the Civitai lookup fills its entries and answers its update checks. */
  library?: () => ModelsService | undefined;
  /** The catalogue's YAML text (default: the one shipped). */
  catalogText?: string;
  /** This machine's memory (default: detected once). */
  machine?: () => Promise<MachineMemory>;
  fetch?: typeof fetch;
  retries?: number;
  backoffMs?: number;
}

/** The detected machine as the recommendation needs it. */
export async function detectedMachine(): Promise<MachineMemory> {
  const hw = await detectHardware();
  const apple = hw.gpus.find((g) => g.vendor === "apple");
  const discrete = hw.gpus.filter((g) => g.vendor !== "apple" && !g.integrated);
  const ramGb = Math.round(totalmem() / 1e9);
  if (apple) return { gpu: true, vramGb: ramGb, ramGb };
  const vram = Math.max(0, ...discrete.map((g) => g.vramBytes ?? 0));
  return { gpu: discrete.length > 0, vramGb: Math.round(vram / 1e9), ramGb };
}

export type ModelsNetService = Service & { downloads: ModelDownloads; civitai: CivitaiLookup; sources: DownloadSources };

export function modelsNetService(options: ModelsNetOptions = {}): ServiceFactory {
  return (ctx): ModelsNetService => {
    const env = readEnv();
    const hosts = (): Hosts => {
      const m = ctx.config.config.models;
      return { huggingface: huggingfaceBase(m, env), civitai: civitaiBase(m), huggingfaceToken: m.huggingface_token, civitaiToken: m.civitai_token };
    };
    let machine: Promise<MachineMemory> | undefined;
    const civitai = new CivitaiLookup({
      database: ctx.paths.database,
      previews: ctx.paths.modelPreviews,
      bus: ctx.bus,
      hosts,
      enabled: () => ctx.config.config.models.civitai_lookup,
      fetch: options.fetch,
      log: ctx.log,
    });
    const sources = new DownloadSources(ctx.paths.database);
    const downloads = new ModelDownloads({
      sources,
      paths: ctx.paths,
      bus: ctx.bus,
      hosts,
      fetch: options.fetch,
      log: ctx.log,
      retries: options.retries,
      backoffMs: options.backoffMs,
    });
    let real: Promise<Record<string, Hono>> | undefined;
    const load = () =>
      (real ??= import("./routes").then(({ netRoutes }) =>
        netRoutes({
          paths: ctx.paths,
          catalog: () => loadCatalog(options.catalogText, hosts().huggingface),
          machine: () => (machine ??= (options.machine ?? detectedMachine)()),
          downloads,
          hosts,
          fetch: options.fetch,
          previewFile: (sha256) => civitai.previewFile(sha256),
        }),
      ));
    const routes = Object.fromEntries(
      Object.entries(NET_ROUTES).map(([path, table]) => [path, lazyRoutes(`/api${path}`, table, async () => (await load())[path]!)]),
    );
    return {
      name: "models-net",
      downloads,
      civitai,
      sources,
      routes,
      start: () => {
        const library = options.library?.();
        library?.setEnricher(civitai.enrich);
        library?.setUpdateCheck((sha256) => civitai.updateFor(sha256));
        // GET /api/models/companions names the starter entry that ships a missing VAE / text encoder.
        // The catalogue is parsed on that first question, not at start (its YAML and schema cost ~8 MB and tens of ms).
        let companion: ReturnType<typeof catalogCompanion> | undefined;
        library?.setCatalog((family, role) => (companion ??= catalogCompanion(loadCatalog(options.catalogText, hosts().huggingface)))(family, role));
      },
      stop: () => {
        downloads.stop();
        civitai.close();
        sources.close();
      },
    };
  };
}
