/**
 * Search on Civitai (GET /api/v1/models) and Hugging Face (GET /api/models,
 * then each repository's files with sizes and LFS sha256), mapped to one
 * result shape. The mappings are pure; the base URLs are settings, so tests
 * answer from local servers built from the services' documented shapes.
 */
import { FetchRefusedError, guardedFetch, MAX_JSON_ANSWER_BYTES, readJsonLimited } from "../../downloads/fetch-guard";
import { networkFailure } from "../../downloads/net-failure";
import type { ModelKind } from "../../core/paths";
import type { Hosts } from "./downloads";
import { NamedError } from "../../core/server/errors";

export interface SearchResult {
  source: "civitai" | "huggingface";
  id: string;
  name: string;
  author: string;
  type: ModelKind;
  baseModel: string | null;
  thumbnail: string | null;
  downloads: number;
  likes: number;
  licence: string;
  pageUrl: string;
  files: { name: string; url: string; size: number | null; sha256?: string }[];
}

export interface SearchQuery {
  source: "civitai" | "huggingface";
  q: string;
  type?: ModelKind;
  base?: string;
  sort?: "downloads" | "likes" | "newest";
  cursor?: string;
}

/** A model site failed us: 401/403 `needs_token` (with that status), anything else 502 `upstream_failed`. */
export class UpstreamError extends NamedError {
  override name = "UpstreamError";
  override readonly code: "needs_token" | "upstream_failed";
  override readonly status: 401 | 403 | 502;
  constructor(
    /** What the site answered (502 when it could not be reached or read). */
    readonly upstreamStatus: number,
    message: string,
  ) {
    super(message);
    const token = upstreamStatus === 401 || upstreamStatus === 403;
    this.code = token ? "needs_token" : "upstream_failed";
    this.status = token ? (upstreamStatus as 401 | 403) : 502;
  }
}

const MODEL_FILE = /\.(safetensors|gguf|ckpt|pt|pth|bin|sft)$/i;

/** Civitai's model types and ours. */
const CIVITAI_TYPES: Record<string, ModelKind> = {
  Checkpoint: "stable-diffusion",
  LORA: "lora",
  LoCon: "lora",
  DoRA: "lora",
  TextualInversion: "embeddings",
  VAE: "vae",
  Controlnet: "controlnet",
  Upscaler: "realesrgan",
};
const CIVITAI_TYPE_OF: Partial<Record<ModelKind, string>> = {
  "stable-diffusion": "Checkpoint",
  lora: "LORA",
  embeddings: "TextualInversion",
  vae: "VAE",
  controlnet: "Controlnet",
  realesrgan: "Upscaler",
};
const CIVITAI_SORT = { downloads: "Most Downloaded", likes: "Highest Rated", newest: "Newest" } as const;

export function civitaiUrl(base: string, q: SearchQuery): string {
  const u = new URL("/api/v1/models", base);
  u.searchParams.set("limit", "20");
  if (q.q) u.searchParams.set("query", q.q);
  if (q.type && CIVITAI_TYPE_OF[q.type]) u.searchParams.set("types", CIVITAI_TYPE_OF[q.type]!);
  if (q.base) u.searchParams.set("baseModels", q.base);
  u.searchParams.set("sort", CIVITAI_SORT[q.sort ?? "downloads"]);
  if (q.cursor) u.searchParams.set("cursor", q.cursor);
  return u.href;
}

type CivitaiItem = {
  id: number;
  name: string;
  type: string;
  creator?: { username?: string };
  stats?: { downloadCount?: number; thumbsUpCount?: number; favoriteCount?: number };
  allowCommercialUse?: string[] | string;
  modelVersions?: {
    id: number;
    name?: string;
    baseModel?: string;
    images?: { url: string; type?: string }[];
    files?: { name: string; sizeKB?: number; downloadUrl: string; hashes?: { SHA256?: string }; type?: string; primary?: boolean }[];
  }[];
};

export function fromCivitai(
  body: { items?: CivitaiItem[]; metadata?: { nextCursor?: string | number | null } },
  base: string,
): { results: SearchResult[]; next: string | null } {
  const results: SearchResult[] = [];
  for (const item of body.items ?? []) {
    const kind = CIVITAI_TYPES[item.type];
    const version = item.modelVersions?.[0];
    if (!kind || !version) continue;
    const files = (version.files ?? [])
      .filter((f) => (f.type ?? "Model") === "Model" && MODEL_FILE.test(f.name))
      .map((f) => ({
        name: f.name,
        url: f.downloadUrl,
        size: f.sizeKB ? Math.round(f.sizeKB * 1024) : null,
        ...(f.hashes?.SHA256 ? { sha256: f.hashes.SHA256.toLowerCase() } : {}),
      }));
    const commercial = Array.isArray(item.allowCommercialUse) ? item.allowCommercialUse.join(", ") : item.allowCommercialUse;
    results.push({
      source: "civitai",
      id: String(item.id),
      name: item.name,
      author: item.creator?.username ?? "",
      type: kind,
      baseModel: version.baseModel ?? null,
      thumbnail: version.images?.find((i) => (i.type ?? "image") === "image")?.url ?? null,
      downloads: item.stats?.downloadCount ?? 0,
      likes: item.stats?.thumbsUpCount ?? item.stats?.favoriteCount ?? 0,
      licence: commercial && commercial !== "None" ? `Civitai licence (commercial use: ${commercial})` : "Civitai licence (no commercial use)",
      pageUrl: new URL(`/models/${item.id}`, base).href,
      files,
    });
  }
  const next = body.metadata?.nextCursor;
  return { results, next: next === undefined || next === null ? null : String(next) };
}

const HF_SORT = { downloads: "downloads", likes: "likes", newest: "lastModified" } as const;
const HF_FILTER: Partial<Record<ModelKind, string>> = {
  lora: "lora",
  "stable-diffusion": "text-to-image",
  diffusion_models: "text-to-image",
  controlnet: "controlnet",
};

export function huggingfaceUrl(base: string, q: SearchQuery): string {
  const u = new URL("/api/models", base);
  if (q.q) u.searchParams.set("search", q.q);
  if (q.type && HF_FILTER[q.type]) u.searchParams.set("filter", HF_FILTER[q.type]!);
  if (q.base) u.searchParams.append("filter", `base_model:${q.base}`);
  u.searchParams.set("sort", HF_SORT[q.sort ?? "downloads"]);
  u.searchParams.set("direction", "-1");
  u.searchParams.set("limit", "20");
  if (q.cursor) u.searchParams.set("cursor", q.cursor);
  return u.href;
}

type HfRepo = {
  id: string;
  author?: string;
  downloads?: number;
  likes?: number;
  tags?: string[];
  siblings?: { rfilename: string; size?: number; lfs?: { sha256?: string; size?: number } }[];
};

export function fromHuggingface(repos: HfRepo[], base: string, type: ModelKind): SearchResult[] {
  return repos.map((repo) => {
    const tag = (prefix: string) => repo.tags?.find((t) => t.startsWith(prefix))?.slice(prefix.length) ?? null;
    const files = (repo.siblings ?? [])
      .filter((s) => MODEL_FILE.test(s.rfilename))
      .map((s) => ({
        name: s.rfilename.split("/").pop()!,
        url: new URL(`/${repo.id}/resolve/main/${s.rfilename.split("/").map(encodeURIComponent).join("/")}`, base).href,
        size: s.lfs?.size ?? s.size ?? null,
        ...(s.lfs?.sha256 ? { sha256: s.lfs.sha256 } : {}),
      }));
    return {
      source: "huggingface" as const,
      id: repo.id,
      name: repo.id.split("/").pop()!,
      author: repo.author ?? repo.id.split("/")[0]!,
      type,
      baseModel: tag("base_model:"),
      thumbnail: null,
      downloads: repo.downloads ?? 0,
      likes: repo.likes ?? 0,
      licence: tag("license:") ?? "see the model page",
      pageUrl: new URL(`/${repo.id}`, base).href,
      files,
    };
  });
}

/** A JSON GET through the fetch guard: http(s) at every hop, the token to the site's origin only, the answer read within 16 MB. */
async function getJson(url: string, headers: Record<string, string>, doFetch: typeof fetch, site: string): Promise<unknown> {
  const res = await guardedFetch(url, { headers, hopHeaders: { accept: "application/json" }, signal: AbortSignal.timeout(20_000), fetch: doFetch }).then(
    (r) => r.response,
    (err) => {
      if (err instanceof FetchRefusedError) throw new UpstreamError(502, `${site}: ${err.message}`);
      // In words: the resolver's own (getaddrinfo ENOTFOUND) mean nothing to a user.
      if ((err as Error)?.name === "TimeoutError") throw new UpstreamError(502, `${site} did not answer within 20 s; try again later`);
      throw new UpstreamError(502, `${site} can't be searched now. ${networkFailure(err, url).message}`);
    },
  );
  if (res.status === 401 || res.status === 403)
    throw new UpstreamError(res.status, `${site} answered ${res.status}: it needs a token (Settings → Models) or the licence accepted on its page`);
  if (!res.ok) throw new UpstreamError(502, `${site} answered ${res.status}`);
  return readJsonLimited(res, MAX_JSON_ANSWER_BYTES, `${site}'s answer`).catch((err) => {
    throw new UpstreamError(502, `${site}'s answer could not be read: ${(err as Error).message}`);
  });
}

export async function searchModels(
  q: SearchQuery,
  hosts: Hosts,
  auth: (url: string) => Record<string, string>,
  doFetch: typeof fetch = fetch,
): Promise<{ results: SearchResult[]; next: string | null }> {
  if (q.source === "civitai") {
    const url = civitaiUrl(hosts.civitai, q);
    return fromCivitai((await getJson(url, auth(url), doFetch, "Civitai")) as Parameters<typeof fromCivitai>[0], hosts.civitai);
  }
  const url = huggingfaceUrl(hosts.huggingface, q);
  const repos = (await getJson(url, auth(url), doFetch, "Hugging Face")) as HfRepo[];
  // Each repository's files with their sizes and sha256 (the list itself has neither).
  const full = await Promise.all(
    repos.slice(0, 20).map(async (r) => {
      const detail = new URL(`/api/models/${r.id}`, hosts.huggingface);
      detail.searchParams.set("blobs", "true");
      return { ...r, ...((await getJson(detail.href, auth(detail.href), doFetch, "Hugging Face").catch(() => ({}))) as HfRepo) };
    }),
  );
  return { results: fromHuggingface(full, hosts.huggingface, q.type ?? "stable-diffusion"), next: null };
}
